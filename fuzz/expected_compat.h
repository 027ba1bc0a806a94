// Only for the fuzz build (scripts/fuzz.sh): clang 14 cannot compile
// libstdc++ 12's <expected> (it needs conditionally trivial destructors,
// P0848), and libFuzzer comes with clang. This is the part of std::expected
// Cartera uses, on std::variant, force-included before any header; the
// guard keeps the real <expected> out. Production builds use GCC's own.
#pragma once
#define _GLIBCXX_EXPECTED 1

#include <type_traits>
#include <utility>
#include <optional>
#include <variant>

namespace std {

template <typename E>
class unexpected {
 public:
  template <typename G = E, typename = enable_if_t<is_constructible_v<E, G&&>>>
  constexpr explicit unexpected(G&& error) : error_(std::forward<G>(error)) {}
  constexpr const E& error() const& { return error_; }
  constexpr E& error() & { return error_; }
  constexpr E&& error() && { return std::move(error_); }

 private:
  E error_;
};
template <typename E>
unexpected(E) -> unexpected<E>;

template <typename T, typename E>
class expected {
 public:
  using value_type = T;
  using error_type = E;
  constexpr expected() requires is_default_constructible_v<T> : state_(in_place_index<0>) {}
  template <typename U = T, typename = enable_if_t<is_constructible_v<T, U&&> &&
                                                   !is_same_v<remove_cvref_t<U>, expected> &&
                                                   !is_same_v<remove_cvref_t<U>, unexpected<E>>>>
  constexpr expected(U&& value) : state_(in_place_index<0>, std::forward<U>(value)) {}
  template <typename G>
  constexpr expected(const unexpected<G>& error) : state_(in_place_index<1>, error.error()) {}
  template <typename G>
  constexpr expected(unexpected<G>&& error) : state_(in_place_index<1>, std::move(error).error()) {}
  constexpr bool has_value() const { return state_.index() == 0; }
  constexpr explicit operator bool() const { return has_value(); }
  constexpr T& operator*() & { return std::get<0>(state_); }
  constexpr const T& operator*() const& { return std::get<0>(state_); }
  constexpr T&& operator*() && { return std::get<0>(std::move(state_)); }
  constexpr T* operator->() { return &std::get<0>(state_); }
  constexpr const T* operator->() const { return &std::get<0>(state_); }
  constexpr T& value() & { return std::get<0>(state_); }
  constexpr const T& value() const& { return std::get<0>(state_); }
  template <typename U>
  constexpr T value_or(U&& fallback) const& { return has_value() ? **this : static_cast<T>(std::forward<U>(fallback)); }
  constexpr E& error() & { return std::get<1>(state_); }
  constexpr const E& error() const& { return std::get<1>(state_); }
  constexpr E&& error() && { return std::get<1>(std::move(state_)); }

 private:
  variant<T, E> state_;
};

template <typename E>
class expected<void, E> {
 public:
  using value_type = void;
  using error_type = E;
  constexpr expected() = default;
  template <typename G>
  constexpr expected(const unexpected<G>& error) : error_(in_place, error.error()), failed_(true) {}
  template <typename G>
  constexpr expected(unexpected<G>&& error) : error_(in_place, std::move(error).error()), failed_(true) {}
  constexpr bool has_value() const { return !failed_; }
  constexpr explicit operator bool() const { return has_value(); }
  constexpr void operator*() const {}
  constexpr E& error() & { return *error_; }
  constexpr const E& error() const& { return *error_; }

 private:
  optional<E> error_;
  bool failed_ = false;
};

}  // namespace std
