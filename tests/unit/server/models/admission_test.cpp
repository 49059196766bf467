// --max-connections: the rule every serving model applies to a connection it has accepted.
#include "server/models/admission.hpp"

#include "support/catch.hpp"

using socketlab::server::admission;
using socketlab::server::admit;
using socketlab::server::max_refusing;

TEST_CASE("admit: served below the limit, refused at it, dropped in a flood", "[unit][server][models]") {
  CHECK(admit(0, 0, 1) == admission::serve);
  CHECK(admit(511, 0, 512) == admission::serve);
  CHECK(admit(512, 0, 512) == admission::refuse);
  CHECK(admit(512, max_refusing - 1, 512) == admission::refuse);
  CHECK(admit(512, max_refusing, 512) == admission::drop);
  // Refusals being closed take no place among the served: room again once one served closes.
  CHECK(admit(511, max_refusing, 512) == admission::serve);
}
