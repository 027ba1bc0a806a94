#include "core/contact_address.h"

#include <algorithm>
#include <array>

#include "core/text_check.h"

namespace cartera {
namespace {

bool IsAsciiAlphanumeric(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// RFC 5322 atext.
bool IsAtomCharacter(char c) {
  return IsAsciiAlphanumeric(c) || std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

enum class EmailFault { kNone, kEmpty, kTooLong, kNoAt, kBadLocal, kLocalTooLong, kBadDomain };

EmailFault FindEmailFault(std::string_view address) {
  if (address.empty()) return EmailFault::kEmpty;
  if (address.size() > kEmailAddressBytesMax) return EmailFault::kTooLong;
  const size_t at = address.rfind('@');
  if (at == std::string_view::npos) return EmailFault::kNoAt;
  const std::string_view local = address.substr(0, at), domain = address.substr(at + 1);
  if (local.size() > kEmailLocalPartBytesMax) return EmailFault::kLocalTooLong;
  // Dot-atom: atoms separated by single dots.
  if (local.empty() || local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos ||
      !std::all_of(local.begin(), local.end(), [](char c) { return c == '.' || IsAtomCharacter(c); })) {
    return EmailFault::kBadLocal;
  }
  if (domain.empty() || domain.size() > kEmailDomainBytesMax) return EmailFault::kBadDomain;
  size_t labels = 0;
  std::string_view last_label;
  for (size_t start = 0; start <= domain.size();) {
    size_t end = domain.find('.', start);
    if (end == std::string_view::npos) end = domain.size();
    const std::string_view label = domain.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-' ||
        !std::all_of(label.begin(), label.end(), [](char c) { return c == '-' || IsAsciiAlphanumeric(c); })) {
      return EmailFault::kBadDomain;
    }
    ++labels;
    last_label = label;
    start = end + 1;
  }
  if (labels < 2 || std::all_of(last_label.begin(), last_label.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return EmailFault::kBadDomain;
  }
  return EmailFault::kNone;
}

struct CountryDialling {
  std::string_view country;
  std::string_view calling_code;
  bool trunk_zero;  // national numbers are dialled with a leading 0
};

// Sorted by country. The Americas and Spain first of all; a few others
// customers of Cartera's tenants often live in.
constexpr std::array kDialling = {
    CountryDialling{"AR", "54", true},   CountryDialling{"BO", "591", false}, CountryDialling{"BR", "55", true},
    CountryDialling{"CA", "1", false},   CountryDialling{"CL", "56", false},  CountryDialling{"CO", "57", false},
    CountryDialling{"CR", "506", false}, CountryDialling{"CU", "53", true},   CountryDialling{"DE", "49", true},
    CountryDialling{"DO", "1", false},   CountryDialling{"EC", "593", true},  CountryDialling{"ES", "34", false},
    CountryDialling{"FR", "33", true},   CountryDialling{"GB", "44", true},   CountryDialling{"GQ", "240", false},
    CountryDialling{"GT", "502", false}, CountryDialling{"HN", "504", false}, CountryDialling{"IT", "39", false},
    CountryDialling{"MX", "52", false},  CountryDialling{"NI", "505", false}, CountryDialling{"PA", "507", false},
    CountryDialling{"PE", "51", true},   CountryDialling{"PR", "1", false},   CountryDialling{"PT", "351", false},
    CountryDialling{"PY", "595", true},  CountryDialling{"SV", "503", false}, CountryDialling{"US", "1", false},
    CountryDialling{"UY", "598", true},  CountryDialling{"VE", "58", true},
};

const CountryDialling* DiallingFor(std::string_view country) {
  auto found = std::lower_bound(kDialling.begin(), kDialling.end(), country,
                                [](const CountryDialling& entry, std::string_view key) { return entry.country < key; });
  return found != kDialling.end() && found->country == country ? &*found : nullptr;
}

}  // namespace

bool IsEmailAddress(std::string_view address) { return FindEmailFault(address) == EmailFault::kNone; }

std::optional<std::string> EmailAddressProblem(std::string_view address, Language language) {
  if (auto problem = FindTextProblem(address)) return DescribeTextProblem(*problem, language);
  switch (FindEmailFault(address)) {
    case EmailFault::kNone:
      return std::nullopt;
    case EmailFault::kEmpty:
      return std::string(Tr(language, "está vacío", "is empty"));
    case EmailFault::kTooLong:
      return TrFormat(language, "tiene más de {} caracteres", "is longer than {} characters", kEmailAddressBytesMax);
    case EmailFault::kNoAt:
      return std::string(Tr(language, "no es una dirección de correo (falta la @)", "is not an email address (no @)"));
    case EmailFault::kLocalTooLong:
      return TrFormat(language, "la parte antes de la @ tiene más de {} caracteres",
                      "the part before the @ is longer than {} characters", kEmailLocalPartBytesMax);
    case EmailFault::kBadLocal:
      return std::string(Tr(
          language, "no es una dirección de correo (antes de la @ solo letras, dígitos, puntos y !#$%&'*+-/=?^_`{|}~)",
          "is not an email address (before the @ only letters, digits, dots and !#$%&'*+-/=?^_`{|}~)"));
    case EmailFault::kBadDomain:
      return std::string(
          Tr(language, "no es una dirección de correo (el dominio no es un nombre de servidor como empresa.com.co)",
             "is not an email address (the domain is not a host name such as example.com)"));
  }
  return std::nullopt;
}

bool IsE164PhoneNumber(std::string_view text) {
  if (text.size() < 2 || text.front() != '+' || text[1] == '0') return false;
  const std::string_view digits = text.substr(1);
  return digits.size() >= kPhoneDigitsMin && digits.size() <= kPhoneDigitsMax &&
         std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<std::string_view> CallingCodeForCountry(std::string_view country) {
  const CountryDialling* dialling = DiallingFor(country);
  if (dialling == nullptr) return std::nullopt;
  return dialling->calling_code;
}

std::optional<std::string> NormalisePhoneNumber(std::string_view text, std::string_view default_country) {
  std::string digits;
  bool plus = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c == '+' && i == 0) {
      plus = true;
    } else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '.') {
      return std::nullopt;
    }
    if (digits.size() > kPhoneDigitsMax + 4) return std::nullopt;
  }
  if (!plus && digits.starts_with("00")) {
    digits.erase(0, 2);
    plus = true;
  }
  if (!plus) {
    const CountryDialling* dialling = DiallingFor(default_country);
    if (dialling == nullptr) return std::nullopt;
    if (dialling->trunk_zero && digits.starts_with('0')) digits.erase(0, 1);
    // North American numbers are often written with their own "1".
    if (dialling->calling_code == "1" && digits.size() == 11 && digits.starts_with('1')) digits.erase(0, 1);
    digits.insert(0, dialling->calling_code);
  }
  std::string number = "+" + digits;
  if (!IsE164PhoneNumber(number)) return std::nullopt;
  return number;
}

}  // namespace cartera
