// Stopping a run early and cleanly: SIGINT (Ctrl-C) and SIGTERM (spot preemption, Slurm's time limit,
// Kubernetes' pod deletion) set a flag that the stylizer checks between batches. The batch in flight is
// finished and written, the journal flushed, and the process exits with 128 + the signal (130 for INT,
// 143 for TERM), so a rerun of the same command resumes. A second signal kills at once (default action).
#pragma once

namespace sinforge {

// Installs the handlers for SIGINT and SIGTERM (idempotent).
void install_stop_handlers();
// True once a stop was asked for; cheap enough to call per image.
bool stop_requested();
// The signal that asked for the stop, 0 when none.
int stop_signal();
// Asks for a stop as a signal would (tests, and callers with their own reasons).
void request_stop(int signal_number);
// Forgets a stop request (tests run several stylizations in one process).
void clear_stop();

}  // namespace sinforge
