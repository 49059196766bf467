#include "server/config.hpp"

namespace socketlab::server {

std::vector<site_config> default_sites() {
  return {{8888, "en"}, {8881, "fr"}, {8000, "es"}};
}

}  // namespace socketlab::server
