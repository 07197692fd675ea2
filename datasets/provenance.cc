#include "datasets/provenance.h"

namespace tutti::datasets {

std::string_view tutti_version() { return TUTTI_VERSION; }

}  // namespace tutti::datasets
