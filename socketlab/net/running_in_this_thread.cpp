#include "socketlab/net/running_in_this_thread.hpp"

#include <typeinfo>

#include <asio/io_context.hpp>
#include <asio/strand.hpp>

namespace socketlab::net {
namespace {

/// @p executor's target as a @p Executor, or null. Asio's own target<T>() does not check the
/// type in every version (1.28 hands back any target for any T): the type is compared here.
template <typename Executor>
const Executor* target_as(const asio::any_io_executor& executor) noexcept {
  return executor.target_type() == typeid(Executor) ? executor.target<Executor>() : nullptr;
}

}  // namespace

bool running_in_this_thread(const asio::any_io_executor& executor) noexcept {
  using loop = asio::io_context::executor_type;
  if (const auto* strand = target_as<asio::strand<loop>>(executor)) return strand->running_in_this_thread();
  if (const auto* strand = target_as<asio::strand<asio::any_io_executor>>(executor))
    return strand->running_in_this_thread();
  if (const auto* own = target_as<loop>(executor)) return own->running_in_this_thread();
  return true;
}

}  // namespace socketlab::net
