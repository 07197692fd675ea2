// replaced by the synthesis engine
