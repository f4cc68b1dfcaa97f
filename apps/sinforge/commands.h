// The subcommands of the sinforge CLI, one file each. Each takes its own argv (argv[0] is the command name)
// and returns the exit status; errors are thrown and mapped to statuses by main().
#pragma once

namespace sinforge::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // the work could not complete
inline constexpr int kExitUsage = 2;   // bad flags, settings or weight files: nothing was done

int run_command(int argc, char** argv);
int styles_command(int argc, char** argv);
int derive_command(int argc, char** argv);
int preview_command(int argc, char** argv);
int verify_command(int argc, char** argv);
int bench_command(int argc, char** argv);
int shape_bias_command(int argc, char** argv);
int info_command(int argc, char** argv);

}  // namespace sinforge::cli
