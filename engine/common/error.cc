#include "engine/common/error.h"

namespace tutti {

std::string Error::message() const {
  std::string text = file.empty() ? std::string("<memory>") : file;
  text += ": ";
  if (!where.empty()) {
    text += where;
    if (offset >= 0) text += " at byte " + std::to_string(offset);
    text += ": ";
  } else if (offset >= 0) {
    text += "at byte " + std::to_string(offset) + ": ";
  }
  text += what;
  return text;
}

}  // namespace tutti
