/// @file
/// Why an echo run failed, said for a person, with the socketlab-server command that starts a
/// server when none answered.
#pragma once

#include "client/echo/echo_client.hpp"
#include "client/failure.hpp"

namespace socketlab::client {

/// Explains why an echo run stopped: nothing listening (with the socketlab-server command that
/// starts one), a message too long for a datagram, a timeout, a closed connection.
/// @param result the run
/// @param options what it was asked to do
/// @return the failure; its status is exit_status::ok when the run did not fail
[[nodiscard]] failure explain_echo(const echo_result& result, const echo_options& options);

/// The failure of a run as the echo commands report it: explain_echo()'s, or, when the run did
/// not fail but no echo came back at all, the silence of a UDP server (which may be missing).
/// @param result the run
/// @param options what it was asked to do
/// @return the failure; its status is exit_status::ok when echoes came back
[[nodiscard]] failure explain_echo_run(const echo_result& result, const echo_options& options);

}  // namespace socketlab::client
