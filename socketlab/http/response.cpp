#include "socketlab/http/response.hpp"

#include "socketlab/http/detail/connection.hpp"

namespace socketlab::http {

bool response::keep_alive() const {
  return detail::keep_alive(version, headers);
}

}  // namespace socketlab::http
