#include "socketlab/cli/program.hpp"

#include <exception>

#include <CLI/CLI.hpp>

namespace socketlab::cli {

int report_setup_error(std::string_view program, const CLI::Error& error, std::ostream& err) {
  err << program << ": the command line could not be set up with CLI11 " << CLI11_VERSION << ": "
      << error.what() << " (" << error.get_name() << "); please report this\n";
  return usage_status;
}

int guarded_main(std::string_view program, std::ostream& err, const std::function<int()>& body) noexcept {
  try {
    try {
      return body();
    } catch (const CLI::ParseError& e) {
      err << program << ": " << e.what() << "; see " << program << " --help\n";
      return usage_status;
    } catch (const CLI::Error& e) {
      return report_setup_error(program, e, err);
    } catch (const std::exception& e) {
      err << program << ": " << e.what() << "\n";
    } catch (...) {
      err << program << ": stopped by an unexpected error\n";
    }
  } catch (...) {  // the stream itself failed: nothing more can be said
  }
  return 1;
}

}  // namespace socketlab::cli
