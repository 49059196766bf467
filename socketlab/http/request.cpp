#include "socketlab/http/request.hpp"

#include "socketlab/http/detail/connection.hpp"

namespace socketlab::http {

bool request::keep_alive() const {
  return detail::keep_alive(version, headers);
}

}  // namespace socketlab::http
