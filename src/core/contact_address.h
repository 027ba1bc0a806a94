// The one place that decides what an e-mail address and a phone number are.
//
// The importer, the CLI, the SMTP layer and (later) the API all call these,
// so an address that passed one door passes them all, and nothing with a
// CR, LF, '<' or '>' ever reaches an SMTP conversation (command injection).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/language.h"

namespace cartera {

// Limits of RFC 5321 (section 4.5.3.1): local part 64, domain 255, and the
// whole path 256 with its brackets, which leaves 254 for the address.
inline constexpr size_t kEmailLocalPartBytesMax = 64;
inline constexpr size_t kEmailDomainBytesMax = 253;
inline constexpr size_t kEmailAddressBytesMax = 254;
// E.164: a country code and subscriber number of at most 15 digits; below
// 8 no country's full international number fits.
inline constexpr size_t kPhoneDigitsMin = 8;
inline constexpr size_t kPhoneDigitsMax = 15;

// A practical subset of RFC 5321's Mailbox: local@domain where the local
// part is a dot-atom (letters, digits and !#$%&'*+-/=?^_`{|}~, dots only
// between them) and the domain a host name of two or more labels (letters,
// digits, inner hyphens; a final label not all digits). Quoted local parts,
// address literals and non-ASCII (SMTPUTF8) addresses are refused: no
// debtor's address needs them, and each has been a way into SMTP servers.
bool IsEmailAddress(std::string_view address);

// Why `address` is not an e-mail address, for an error message in the
// reader's language; nullopt when it is one.
std::optional<std::string> EmailAddressProblem(std::string_view address, Language language);

// The number in E.164 ("+573001234567"), or nullopt when it is not a phone
// number. People write numbers with spaces, dashes, dots and parentheses;
// those go. "00" before the country code counts as "+". A number without a
// country code takes the code of `default_country` (ISO 3166 alpha-2, the
// customer's country) when it is one we know, dropping a national trunk
// "0" where that country dials one; without a known country it is refused.
std::optional<std::string> NormalisePhoneNumber(std::string_view text, std::string_view default_country = {});

// True when `text` is already E.164: '+', a non-zero digit, 8 to 15 digits.
bool IsE164PhoneNumber(std::string_view text);

// The country calling code for an ISO 3166 alpha-2 country ("CO" -> "57"),
// for the countries Cartera serves; nullopt for the others.
std::optional<std::string_view> CallingCodeForCountry(std::string_view country);

}  // namespace cartera
