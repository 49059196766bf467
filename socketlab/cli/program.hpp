/// @file
/// What every socketlab program does around its own work: nothing it throws, nor anything a
/// dependency's version throws while its command line is set up, ends it in std::terminate.
#pragma once

#include <functional>
#include <ostream>
#include <string_view>

namespace CLI {
class Error;
}

namespace socketlab::cli {

/// Exit status of a command line that could not be set up or parsed.
inline constexpr int usage_status = 2;

/// Says, in one line on @p err, that the command line could not be set up: CLI11 refused a
/// definition (a newer CLI11 may refuse what an older one took), which is a bug to report.
/// @param program the program's name, to begin the line
/// @param error what CLI11 threw
/// @param err where the line goes
/// @return usage_status
int report_setup_error(std::string_view program, const CLI::Error& error, std::ostream& err);

/// Runs @p body, the whole program, and turns whatever escapes it into one line on @p err:
/// a CLI11 error (the command line: a mistake in it, or a definition CLI11 refused) exits with
/// usage_status, anything else with 1.
/// @param program the program's name, to begin the line
/// @param err where the line goes
/// @param body the program's work; returns its exit status
/// @return @p body's exit status, or the one for what escaped it
int guarded_main(std::string_view program, std::ostream& err, const std::function<int()>& body) noexcept;

}  // namespace socketlab::cli
