// A tenant's own scripts (delivery/template_overrides.h): the lookup every
// reader uses gives the tenant's override, else the shipped script; saving
// checks the text as the shipped scripts are checked; removing brings the
// shipped one back; another tenant never sees it. On SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include "core/time_zone.h"
#include "delivery/template_overrides.h"
#include "store/tenants.h"
#include "test_database.h"

namespace cartera::delivery {
namespace {

using cartera::testing::Backend;
using cartera::testing::TestDatabase;
using templates::Channel;
using templates::Language;
using templates::Stage;

class TemplateOverrides : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string reason;
    db_ = TestDatabase::Create(GetParam(), reason);
    if (!db_) GTEST_SKIP() << reason;
  }
  AuditContext Audit() const { return AuditContext{"test:ana", "2026-03-09T12:00:00Z", "test", cartera::Language::kEnglish}; }
  std::unique_ptr<TestDatabase> db_;
};

TEST_P(TemplateOverrides, OverrideReplacesTheShippedScriptForItsTenantOnly) {
  Database& database = db_->database();
  auto beta = CreateTenant(database, NewTenant{"Beta", "beta", "CO", "COP", "America/Bogota"}, Audit());
  ASSERT_TRUE(beta) << beta.error().message;
  const Timestamp now = *ParseUtc("2026-03-09T12:00:00Z");

  auto shipped = templates::DefaultTemplate(Stage::kOverdue7, Channel::kEmail, Language::kEs);
  ASSERT_TRUE(shipped);
  auto before = TenantTemplate(database, 1, Stage::kOverdue7, Channel::kEmail, Language::kEs, "cordial");
  ASSERT_TRUE(before) << before.error().message;
  EXPECT_EQ(before->source, TemplateSource::kDefault);
  EXPECT_EQ(before->script.body, shipped->body);

  TemplateOverrideChange change;
  change.stage = Stage::kOverdue7;
  change.channel = Channel::kEmail;
  change.language = Language::kEs;
  change.subject = "Saldo de {{company_name}}";
  change.body = "<p>Hola {{debtor_name}}, debe {{total_due}}.</p>";
  auto saved = SaveTemplateOverride(database, 1, change, now, Audit());
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_TRUE(saved->warnings.empty());
  EXPECT_EQ(saved->saved.source, TemplateSource::kTenant);
  EXPECT_EQ(saved->saved.updated_by, "test:ana");

  auto after = TenantTemplate(database, 1, Stage::kOverdue7, Channel::kEmail, Language::kEs, "cordial");
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_EQ(after->source, TemplateSource::kTenant);
  EXPECT_EQ(after->script.subject, change.subject);
  EXPECT_EQ(after->script.body, change.body);
  EXPECT_EQ(after->script.stage, "overdue_7");
  EXPECT_EQ(after->updated_at, "2026-03-09T12:00:00Z");

  // Saving again replaces the text (one row per script).
  change.body = "<p>Hola de nuevo {{debtor_name}}.</p>";
  ASSERT_TRUE(SaveTemplateOverride(database, 1, change, now, Audit()));
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM template_overrides"), 1);
  EXPECT_EQ(TenantTemplate(database, 1, Stage::kOverdue7, Channel::kEmail, Language::kEs, "cordial")->script.body,
            change.body);

  // The other scripts of the stage, and the other tenant, keep the shipped text.
  auto english = TenantTemplate(database, 1, Stage::kOverdue7, Channel::kEmail, Language::kEn, "cordial");
  ASSERT_TRUE(english);
  EXPECT_EQ(english->source, TemplateSource::kDefault);
  auto other = TenantTemplate(database, beta->id, Stage::kOverdue7, Channel::kEmail, Language::kEs, "cordial");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->source, TemplateSource::kDefault);
  EXPECT_EQ(other->script.body, shipped->body);

  auto stage = TenantStageTemplates(database, 1, Stage::kOverdue7);
  ASSERT_TRUE(stage) << stage.error().message;
  int tenant_scripts = 0;
  for (const TenantScript& one : *stage) tenant_scripts += one.source == TemplateSource::kTenant ? 1 : 0;
  EXPECT_EQ(tenant_scripts, 1);

  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'template_override' AND action = 'update'"), 2);

  ASSERT_TRUE(RemoveTemplateOverride(database, 1, Stage::kOverdue7, Channel::kEmail, Language::kEs, "cordial", Audit()));
  auto restored = TenantTemplate(database, 1, Stage::kOverdue7, Channel::kEmail, Language::kEs, "cordial");
  ASSERT_TRUE(restored);
  EXPECT_EQ(restored->source, TemplateSource::kDefault);
  EXPECT_EQ(restored->script.body, shipped->body);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'template_override' AND action = 'delete'"), 1);
  auto again = RemoveTemplateOverride(database, 1, Stage::kOverdue7, Channel::kEmail, Language::kEs, "cordial", Audit());
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
}

TEST_P(TemplateOverrides, SavingChecksTheTextLikeTheShippedScripts) {
  Database& database = db_->database();
  const Timestamp now = *ParseUtc("2026-03-09T12:00:00Z");
  TemplateOverrideChange change;
  change.stage = Stage::kOverdue1;
  change.channel = Channel::kSms;
  change.language = Language::kEn;
  change.body = "Hi {{deudor}}";
  auto unknown = SaveTemplateOverride(database, 1, change, now, Audit());
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kBadInput);
  EXPECT_TRUE(unknown.error().message.starts_with("body: unknown variable 'deudor'")) << unknown.error().message;

  change.body = "Hi {{#overdue_invoices}}{{number}}";
  auto syntax = SaveTemplateOverride(database, 1, change, now, Audit());
  ASSERT_FALSE(syntax);
  EXPECT_TRUE(syntax.error().message.starts_with("body: template syntax error")) << syntax.error().message;

  change.subject = "A subject";
  change.body = "Hi {{debtor_name}}";
  auto subject = SaveTemplateOverride(database, 1, change, now, Audit());
  ASSERT_FALSE(subject);
  EXPECT_TRUE(subject.error().message.starts_with("subject: ")) << subject.error().message;
  change.subject.clear();

  change.tone = "sarcastic";
  auto tone = SaveTemplateOverride(database, 1, change, now, Audit());
  ASSERT_FALSE(tone);
  EXPECT_TRUE(tone.error().message.starts_with("tone: ")) << tone.error().message;
  change.tone = "cordial";

  // Valid, but long and not GSM-7: saved, with warnings.
  change.body = "Hola {{debtor_name}}, ¿cómo está? " + std::string(200, 'x');
  auto warned = SaveTemplateOverride(database, 1, change, now, Audit());
  ASSERT_TRUE(warned) << warned.error().message;
  EXPECT_EQ(warned->warnings.size(), 2u);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM template_overrides WHERE channel = 'sms' AND language = 'en'"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, TemplateOverrides, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         cartera::testing::BackendName);

}  // namespace
}  // namespace cartera::delivery
