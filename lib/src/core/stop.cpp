#include "sinforge/core/stop.h"

#include <atomic>
#include <csignal>

namespace sinforge {
namespace {

// Only a lock-free atomic may be written from a signal handler.
std::atomic<int> g_stop_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void on_stop_signal(int signal_number) { g_stop_signal.store(signal_number); }

}  // namespace

void install_stop_handlers() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  // SA_RESETHAND: the first signal asks for a clean stop, a second one takes the default action (ends
  // the process at once) for a user who does not want to wait for the batch in flight.
  action.sa_flags = SA_RESETHAND;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool stop_requested() { return g_stop_signal.load(std::memory_order_relaxed) != 0; }
int stop_signal() { return g_stop_signal.load(); }
void request_stop(int signal_number) { g_stop_signal.store(signal_number); }
void clear_stop() { g_stop_signal.store(0); }

}  // namespace sinforge
