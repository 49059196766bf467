/// @file
/// This thread's own object of a type, made on first use and destroyed when the thread ends: a
/// `thread_local` that is safe with every compiler the kit is built with.
#pragma once

#include <memory>

namespace socketlab::net {

// MinGW-w64's GCC keeps a thread_local in memory of its own (emutls) and frees that memory when
// a thread ends, in an order it does not fix against the object's destructor: the destructor may
// run on freed memory (GCC bug 80816). A vector of parsers kept per thread crashed the server's
// tests under Wine that way, now and then, depending on what the heap had reused. There the
// object lives on the heap instead and a thread key (the system's own per-thread slot, whose
// memory is not emutls's) destroys it when the thread ends. Everywhere else a thread_local is
// what the language promises.
#if defined(__MINGW32__)
namespace detail {

/// A new slot each thread has its own value in (null until set); @p destroy runs on a thread's
/// value when that thread ends.
/// @param destroy what frees a value
/// @return the slot
[[nodiscard]] unsigned make_thread_slot(void (*destroy)(void*));

/// @param slot from make_thread_slot()
/// @return this thread's value in @p slot, null if none
[[nodiscard]] void* thread_slot_value(unsigned slot) noexcept;

/// Sets this thread's value in @p slot.
/// @param slot from make_thread_slot()
/// @param value what this thread keeps there
void set_thread_slot_value(unsigned slot, void* value);

}  // namespace detail
#endif

/// This thread's own @p T: made (value-initialized) the first time this thread asks, and destroyed
/// when this thread ends. One object per thread for each pair of @p T and @p Tag: two uses of
/// the same type name a tag each so they do not share.
///
/// Use it instead of `thread_local` for anything with a destructor (a string, a vector); a
/// `thread_local` of a type with none (a bool, an array of bytes) is safe as it is
/// (tests/layout/test_layout.py checks both).
/// @tparam T what each thread keeps: default-constructible
/// @tparam Tag tells apart two uses of the same @p T
/// @return this thread's object
template <typename T, typename Tag = T>
[[nodiscard]] T& per_thread() {
#if defined(__MINGW32__)
  static const unsigned slot = detail::make_thread_slot([](void* object) { delete static_cast<T*>(object); });
  if (void* object = detail::thread_slot_value(slot)) return *static_cast<T*>(object);
  auto made = std::make_unique<T>();
  detail::set_thread_slot_value(slot, made.get());
  return *made.release();
#else
  thread_local T object{};
  return object;
#endif
}

}  // namespace socketlab::net
