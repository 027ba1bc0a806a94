#include "core/contact_address.h"

#include <gtest/gtest.h>

namespace cartera {
namespace {

// One line per case: the address and whether it is accepted.
TEST(ContactAddressTest, EmailAddresses) {
  const struct {
    std::string_view address;
    bool valid;
  } kCases[] = {
      {"pagos@nandu.com.co", true},
      {"ap@acme.com", true},
      {"first.last+tag@sub-domain.example.org", true},
      {"o'brien@example.ie", true},
      {"x@a.co", true},
      {"billing>\r\nRCPT\tTO:<evil@attacker.example>", false},  // SMTP command injection
      {"billing@example.com\r\nRCPT TO:<evil@attacker.example>", false},
      {"<billing@example.com>", false},
      {"billing@example.com>", false},
      {"bill ing@example.com", false},
      {"\"bill ing\"@example.com", false},  // quoted local parts are not supported
      {"billing@example.com\t", false},
      {std::string_view("bill\0ing@example.com", 20), false},
      {"", false},
      {"@example.com", false},
      {"billing@", false},
      {"billing", false},
      {"billing@localhost", false},
      {"billing@[192.168.0.1]", false},
      {"billing@192.168.0.1", false},
      {".billing@example.com", false},
      {"billing.@example.com", false},
      {"bil..ling@example.com", false},
      {"billing@-example.com", false},
      {"billing@example-.com", false},
      {"billing@example..com", false},
      {"billing@example.com.", false},
      {"a@b@example.com", false},
      {"pagos@ñandú.co", false},  // IDN domains go in punycode (xn--)
      {"pagos@xn--and-6ma2c.co", true},
      {"a,b@example.com", false},
      {"a;b@example.com", false},
  };
  for (const auto& test : kCases) {
    EXPECT_EQ(IsEmailAddress(test.address), test.valid) << "'" << test.address << "'";
    EXPECT_EQ(EmailAddressProblem(test.address, Language::kEnglish).has_value(), !test.valid) << test.address;
  }
  EXPECT_TRUE(IsEmailAddress(std::string(64, 'a') + "@example.com"));
  EXPECT_FALSE(IsEmailAddress(std::string(65, 'a') + "@example.com"));
  EXPECT_FALSE(IsEmailAddress("a@" + std::string(250, 'b') + ".com"));
}

TEST(ContactAddressTest, EmailProblemsNameTheFaultInTheReadersLanguage) {
  EXPECT_EQ(*EmailAddressProblem("billing>\r\nRCPT", Language::kEnglish),
            "contains a control character (U+000D) at byte 9");
  EXPECT_EQ(*EmailAddressProblem("billing", Language::kSpanish), "no es una dirección de correo (falta la @)");
}

// One line per case: what a person typed, the customer's country, and the
// E.164 number it becomes ("" when it is refused).
TEST(ContactAddressTest, PhoneNumbers) {
  const struct {
    std::string_view text, country, e164;
  } kCases[] = {
      {"+57 300 123 4567", "", "+573001234567"},
      {"+57 (300) 123-4567", "US", "+573001234567"},
      {"3001234567", "CO", "+573001234567"},
      {"0057 300 123 4567", "", "+573001234567"},
      {"011 4321-1234", "AR", "+541143211234"},
      {"(212) 555-0100", "US", "+12125550100"},
      {"1 212 555 0100", "US", "+12125550100"},
      {"55 1234 5678", "MX", "+525512345678"},
      {"612 345 678", "ES", "+34612345678"},
      {"3001234567", "", ""},         // no country code and no country to take it from
      {"3001234567", "ZZ", ""},       // a country we have no calling code for
      {"+1234567", "", ""},           // 7 digits: too short for E.164
      {"+1234567890123456", "", ""},  // 16 digits
      {"+0573001234567", "", ""},     // country codes never start with 0
      {"+57 300 123 4567 ext 2", "", ""},
      {"+57\r\n300", "", ""},
      {"57+3001234567", "", ""},
      {"", "CO", ""},
      {"++573001234567", "", ""},
      {"+57300123456a", "", ""},
  };
  for (const auto& test : kCases) {
    auto number = NormalisePhoneNumber(test.text, test.country);
    EXPECT_EQ(number.value_or(""), test.e164) << "'" << test.text << "' in '" << test.country << "'";
    if (number) {
      EXPECT_TRUE(IsE164PhoneNumber(*number)) << *number;
    }
  }
  EXPECT_FALSE(IsE164PhoneNumber("573001234567"));
  EXPECT_FALSE(IsE164PhoneNumber("+57 300"));
  EXPECT_EQ(CallingCodeForCountry("CO").value_or(""), "57");
  EXPECT_FALSE(CallingCodeForCountry("XX"));
}

}  // namespace
}  // namespace cartera
