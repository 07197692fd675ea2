#pragma once
// Ctrl-C and SIGTERM (what SLURM and Kubernetes send before killing a job) ask the batch to
// stop: no new file starts, files in flight stop at their next window and their temporary
// outputs are removed, finished outputs and the manifest stay. The only place that touches
// signals, so a port to another OS looks here.
namespace tutti::graph {

// Installs the handlers; a second signal restores the default action, so pressing Ctrl-C
// twice ends the process at once (temporaries then stay behind, never under a final name).
void install_cancellation_handlers();
bool cancellation_requested();
// The signal that asked to stop (0 when none, or when requested by code).
int cancellation_signal();
// Requests cancellation from code (tests).
void request_cancellation();
void reset_cancellation();

}  // namespace tutti::graph
