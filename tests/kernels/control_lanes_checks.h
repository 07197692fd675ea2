#pragma once
// The control lanes (kernels/control_lanes.h) of a backend or target against their scalar twin,
// bit for bit: random lanes built so that every way a block can fail to be regular happens;
// the lanes' whole state after the step and each regular lane's results must be the twin's.
// The `what` string names the target in failure messages.
#include <string>

#include "kernels/control_lanes.h"

namespace tutti::kernels::test {

void check_control_lanes(ControlLanesFn kernel, const std::string& what);

}  // namespace tutti::kernels::test
