// libFuzzer target: the API's reading of a JSON request body. Whatever the
// bytes, reading a body either yields fields or a problem that serializes;
// nothing crashes, hangs or reads out of bounds (ASan, UBSan). Run with
// scripts/fuzz.sh (a bounded time; docs/api.md).
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "api/api_call.h"
#include "api/json_fields.h"
#include "core/clock.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cartera;
  using namespace cartera::api;
  const std::string body(reinterpret_cast<const char*>(data), size);
  FixedClock clock(Timestamp{});
  // The body reader never touches the database; an empty in-memory one stands by.
  static std::unique_ptr<Database> database = std::move(*Database::Open(":memory:"));
  ApiCall call(*database, clock, size % 2 == 0 ? Language::kSpanish : Language::kEnglish,
               nullptr, "POST", "/api/v1/promises", {}, {}, [](std::string_view) { return std::nullopt; }, body,
               nullptr);
  auto object = call.JsonObject();
  if (!object) {
    (void)ProblemJson(object.error(), Language::kEnglish, "/fuzz").dump();
    return 0;
  }
  JsonFields fields(*object, Language::kEnglish);
  (void)fields.Text("customer", JsonFields::Need::kRequired, 200);
  (void)fields.Paragraph("note", JsonFields::Need::kOptional);
  (void)fields.Integer("days", JsonFields::Need::kOptional, 0, 3650);
  (void)fields.Boolean("dry_run", JsonFields::Need::kOptional);
  (void)fields.DateField("date", JsonFields::Need::kOptional);
  (void)fields.Amount("amount", JsonFields::Need::kOptional);
  (void)fields.TextList("events", JsonFields::Need::kOptional);
  if (const nlohmann::json* nested = fields.Raw("contact", JsonFields::Need::kOptional); nested && nested->is_object()) {
    JsonFields inner(*nested, Language::kSpanish, "/contact");
    (void)inner.Text("email", JsonFields::Need::kRequired);
    if (auto problem = inner.Finish()) (void)ProblemJson(*problem, Language::kSpanish, "/fuzz").dump();
  }
  if (auto problem = fields.Finish()) (void)ProblemJson(*problem, Language::kEnglish, "/fuzz").dump();
  return 0;
}
