// Spares every tutti process the timer calibration that Debian's libhwy (Highway 1.0.3) runs
// while it loads: a static initializer of its nanobenchmark calls
// hwy::platform::TimerResolution(), which samples the cycle counter for about 3.6 ms, a tenth of
// a short render's CPU time (one-process-per-file runs such as `make bench` pay it per file).
// Only Highway's own micro-benchmark reads the result, and tutti never runs it. Highway has since
// made the call lazy (google/highway pull request 2440); until Debian ships that, the executable
// defines the function itself: its definition comes first in the dynamic symbol lookup, so
// libhwy's initializer calls this one, which returns at once. Checked by the test
// ToolsBuild.HighwayTimerCalibrationIsSkipped; harmless with a Highway that no longer calls it.
#include <cstdint>

#include "hwy/nanobenchmark.h"  // declares it, so the signatures must agree

namespace hwy::platform {

// The value libhwy stores for nanobenchmark: a resolution of one tick, which no tutti code reads.
std::uint64_t TimerResolution() { return 1; }

}  // namespace hwy::platform
