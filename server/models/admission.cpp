#include "server/models/admission.hpp"

namespace socketlab::server {

admission admit(std::size_t served, std::size_t refusing, int max_connections) noexcept {
  if (max_connections > 0 && served < static_cast<std::size_t>(max_connections)) return admission::serve;
  if (refusing < max_refusing) return admission::refuse;
  return admission::drop;
}

}  // namespace socketlab::server
