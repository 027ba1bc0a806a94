// Tenants (store/tenants.h): creating, listing and finding them, and every
// refusal one line each, on SQLite and PostgreSQL.
#include "store/tenants.h"

#include <gtest/gtest.h>

#include "test_database.h"

namespace cartera {
namespace {

using testing::Backend;
using testing::TestDatabase;

AuditContext Audit(Language language = Language::kEnglish) {
  return AuditContext{"test", "2026-11-20T15:00:00Z", "tenants_test", language};
}

NewTenant Andina() { return NewTenant{"Distribuidora Andina S.A.S.", "", "CO", "COP", "America/Bogota"}; }

TEST(TenantSlug, FromTheName) {
  EXPECT_EQ(SlugFromName("Distribuidora Andina S.A.S."), "distribuidora-andina-s-a-s");
  EXPECT_EQ(SlugFromName("  Ñandú  Café & Cía. "), "nandu-cafe-cia");
  EXPECT_EQ(SlugFromName("ÁÉÍÓÚÜ àèìòùç"), "aeiouu-aeiouc");
  EXPECT_EQ(SlugFromName("株式会社"), "");
  EXPECT_EQ(SlugFromName(std::string(100, 'a')).size(), kTenantSlugBytesMax);
}

class TenantsStorage : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string reason;
    db_ = TestDatabase::Create(GetParam(), reason);
    if (!db_) GTEST_SKIP() << reason;
  }
  std::unique_ptr<TestDatabase> db_;
};

TEST_P(TenantsStorage, TheDefaultTenantAlwaysExists) {
  auto tenants = ListTenants(db_->database());
  ASSERT_TRUE(tenants) << tenants.error().message;
  ASSERT_EQ(tenants->size(), 1u);
  const Tenant& first = tenants->front();
  EXPECT_EQ(first.id, 1);
  EXPECT_EQ(first.slug, "default");
  EXPECT_EQ(first.currency, "COP") << "migration 23's default";
  EXPECT_EQ(first.daily_run_time, "08:00");
  auto by_id = FindTenant(db_->database(), "1", Language::kEnglish);
  ASSERT_TRUE(by_id) << by_id.error().message;
  EXPECT_EQ(by_id->slug, "default");
}

TEST_P(TenantsStorage, CreateFindAndList) {
  auto created = CreateTenant(db_->database(), Andina(), Audit());
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->id, 2) << "new tenants start after the default one";
  EXPECT_EQ(created->slug, "distribuidora-andina-s-a-s");
  EXPECT_EQ(created->name, "Distribuidora Andina S.A.S.");
  EXPECT_EQ(created->country, "CO");
  EXPECT_EQ(created->currency, "COP");
  EXPECT_EQ(created->time_zone, "America/Bogota");
  EXPECT_EQ(created->daily_run_time, "08:00");
  EXPECT_EQ(created->created_at, "2026-11-20T15:00:00Z");

  NewTenant second{"Acme Inc.", "acme", "US", "USD", "America/New_York"};
  auto acme = CreateTenant(db_->database(), second, Audit());
  ASSERT_TRUE(acme) << acme.error().message;
  EXPECT_EQ(acme->slug, "acme");
  EXPECT_EQ(acme->currency, "USD");

  for (const char* name : {"acme", "ACME", "3"}) {
    auto found = FindTenant(db_->database(), name, Language::kEnglish);
    ASSERT_TRUE(found) << name << ": " << found.error().message;
    EXPECT_EQ(found->id, acme->id) << name;
    EXPECT_EQ(TenantJson(*found), TenantJson(*acme)) << name;
  }

  auto tenants = ListTenants(db_->database());
  ASSERT_TRUE(tenants) << tenants.error().message;
  ASSERT_EQ(tenants->size(), 3u);
  EXPECT_EQ((*tenants)[0].slug, "default");
  EXPECT_EQ((*tenants)[1].slug, "distribuidora-andina-s-a-s");
  EXPECT_EQ((*tenants)[2].slug, "acme");

  const nlohmann::json json = TenantJson(*acme);
  EXPECT_EQ(json, (nlohmann::json{{"id", 3},
                                  {"slug", "acme"},
                                  {"name", "Acme Inc."},
                                  {"country", "US"},
                                  {"currency", "USD"},
                                  {"time_zone", "America/New_York"},
                                  {"daily_run_time", "08:00"},
                                  {"created_at", "2026-11-20T15:00:00Z"}}));

  // One audit row per tenant created, under the new tenant.
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'tenant' AND action = 'create'"), 2);
  EXPECT_EQ(db_->Count("SELECT tenant_id FROM audit_log WHERE entity = 'tenant' AND entity_id = 3"), 3);
  EXPECT_EQ(db_->Text("SELECT actor FROM audit_log WHERE entity = 'tenant' AND entity_id = 3"), "test");
}

TEST_P(TenantsStorage, TheTimeZoneDefaultsToTheCountrys) {
  auto created = CreateTenant(db_->database(), NewTenant{"Lima SAC", "", "PE", "PEN", ""}, Audit());
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->time_zone, "America/Lima");
}

TEST_P(TenantsStorage, ANameThatIsANumberGetsASlugThatIsNot) {
  auto created = CreateTenant(db_->database(), NewTenant{"2024", "", "CO", "COP", ""}, Audit());
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->slug, "tenant-2024");
}

struct BadCase {
  const char* name;
  NewTenant tenant;
  ErrorCode code;
  const char* english;  // a part of the message
  const char* spanish;
};

TEST_P(TenantsStorage, RefusesBadInputAndWritesNothing) {
  ASSERT_TRUE(CreateTenant(db_->database(), Andina(), Audit()));
  const BadCase cases[] = {
      {"empty name", {"", "x", "CO", "COP", ""}, ErrorCode::kBadInput, "name cannot be empty", "no puede estar vacío"},
      {"long name",
       {std::string(201, 'a'), "", "CO", "COP", ""},
       ErrorCode::kBadInput,
       "at most 200",
       "como máximo 200"},
      {"control character",
       {"A\nB", "", "CO", "COP", ""},
       ErrorCode::kBadInput,
       "control characters",
       "caracteres de control"},
      {"no slug from the name",
       {"株式会社", "", "JP", "JPY", ""},
       ErrorCode::kBadInput,
       "give one with --slug",
       "indique uno con --slug"},
      {"upper-case slug",
       {"B", "Empresa-B", "CO", "COP", ""},
       ErrorCode::kBadInput,
       "the slug 'Empresa-B'",
       "el slug 'Empresa-B'"},
      {"slug of digits", {"B", "42", "CO", "COP", ""}, ErrorCode::kBadInput, "not only digits", "no solo dígitos"},
      {"slug with a space", {"B", "a b", "CO", "COP", ""}, ErrorCode::kBadInput, "is not valid", "no sirve"},
      {"slug with a double hyphen", {"B", "a--b", "CO", "COP", ""}, ErrorCode::kBadInput, "is not valid", "no sirve"},
      {"lower-case country", {"B", "", "co", "COP", ""}, ErrorCode::kBadInput, "the country 'co'", "el país 'co'"},
      {"unknown country", {"B", "", "XX", "COP", ""}, ErrorCode::kBadInput, "ISO 3166-1", "ISO 3166-1"},
      {"three-letter country", {"B", "", "COL", "COP", ""}, ErrorCode::kBadInput, "the country 'COL'", "el país 'COL'"},
      {"unknown currency", {"B", "", "CO", "XYZ", ""}, ErrorCode::kBadInput, "the currency 'XYZ'", "la moneda 'XYZ'"},
      {"lower-case currency", {"B", "", "CO", "cop", ""}, ErrorCode::kBadInput, "ISO 4217", "ISO 4217"},
      {"empty currency", {"B", "", "CO", "", ""}, ErrorCode::kBadInput, "ISO 4217", "ISO 4217"},
      {"unknown zone",
       {"B", "", "CO", "COP", "America/Atlantis"},
       ErrorCode::kBadInput,
       "the time zone 'America/Atlantis'",
       "la zona horaria 'America/Atlantis'"},
      {"a country with no single zone, none given",
       {"B", "", "AQ", "USD", ""},
       ErrorCode::kBadInput,
       "--time-zone",
       "--time-zone"},
      {"duplicate slug",
       {"Otra", "distribuidora-andina-s-a-s", "CO", "COP", ""},
       ErrorCode::kConflict,
       "slug 'distribuidora-andina-s-a-s' already exists",
       "ya hay una empresa con el slug"},
      {"duplicate derived slug", Andina(), ErrorCode::kConflict, "already exists", "ya hay una empresa"},
  };
  for (const BadCase& test : cases) {
    for (const Language language : {Language::kEnglish, Language::kSpanish}) {
      auto created = CreateTenant(db_->database(), test.tenant, Audit(language));
      ASSERT_FALSE(created) << test.name;
      EXPECT_EQ(created.error().code, test.code) << test.name;
      const char* expected = language == Language::kEnglish ? test.english : test.spanish;
      EXPECT_NE(created.error().message.find(expected), std::string::npos)
          << test.name << ": " << created.error().message;
    }
  }
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM tenants"), 2) << "nothing written";
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'tenant'"), 1);
}

TEST_P(TenantsStorage, AnUnknownTenantIsNotFoundInBothLanguages) {
  for (const char* name : {"nope", "99", "0", "-1", "", "99999999999999999999999"}) {
    auto english = FindTenant(db_->database(), name, Language::kEnglish);
    ASSERT_FALSE(english) << name;
    EXPECT_EQ(english.error().code, ErrorCode::kNotFound) << name;
    EXPECT_NE(english.error().message.find(fmt::format("no tenant with the id or slug '{}'", name)), std::string::npos)
        << english.error().message;
    auto spanish = FindTenant(db_->database(), name, Language::kSpanish);
    ASSERT_FALSE(spanish) << name;
    EXPECT_NE(spanish.error().message.find(fmt::format("no hay una empresa (tenant) con el id o slug '{}'", name)),
              std::string::npos)
        << spanish.error().message;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, TenantsStorage, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace cartera
