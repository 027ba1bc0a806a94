#include "delivery/letter_printer.h"

#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "core/time_zone.h"
#include "delivery/message_composer.h"
#include "pdf/customer_documents.h"
#include "templates/default_templates.h"

namespace cartera::delivery {

Result<LetterResult> PrintLetter(Database& database, const DeliveryOptions& options, SendTransitions& transitions,
                                 DueItem& item, const Recipient& recipient, const templates::MessageContext& context,
                                 Timestamp now) {
  auto settle = [](Status status, LetterResult result) -> Result<LetterResult> {
    if (!status) return Fail(status.error());
    return result;
  };
  auto stage = templates::ParseStage(item.template_name);
  if (!stage) {
    return settle(transitions.Finish(item, "failed", "",
                                     fmt::format("render: no letter for template '{}'", item.template_name), ""),
                  LetterResult::kFailed);
  }
  auto pdf = pdf::LetterPdfForCustomer(database, options.tenant_id, item.customer_id, *stage, item.tone, context,
                                       std::nullopt);
  if (!pdf && pdf.error().code == ErrorCode::kNotFound) {  // no letter in that tone: the cordial one
    pdf = pdf::LetterPdfForCustomer(database, options.tenant_id, item.customer_id, *stage, templates::kDefaultTone,
                                    context, std::nullopt);
  }
  if (!pdf) {
    return settle(transitions.Finish(item, "failed", "", fmt::format("render: {}", pdf.error().message), ""),
                  LetterResult::kFailed);
  }
  const std::filesystem::path file =
      std::filesystem::path(options.letters_dir) /
      fmt::format("{}-{}-{}-{}.pdf", FormatUtc(now).substr(0, 10), FileSafe(recipient.external_id),
                  item.template_name, item.id);
  auto claimed = transitions.Claim(item, recipient.reach.postal, file.filename().string(), now);
  if (!claimed) return Fail(claimed.error());
  if (!*claimed) return LetterResult::kTakenByAnother;
  const std::filesystem::path partial = file.string() + ".part";
  {
    std::ofstream out(partial, std::ios::binary);
    out.write(pdf->data(), static_cast<std::streamsize>(pdf->size()));
    if (!out) {
      return settle(transitions.Requeue(item, now + RetryDelay(options, item.attempts + 1),
                                        fmt::format("could not write {}", partial.string()), true),
                    LetterResult::kRetrying);
    }
  }
  std::error_code error;
  std::filesystem::rename(partial, file, error);
  if (error) {
    return settle(transitions.Requeue(item, now + RetryDelay(options, item.attempts + 1),
                                      fmt::format("could not write {}: {}", file.string(), error.message()), true),
                  LetterResult::kRetrying);
  }
  return settle(transitions.Finish(item, "sent", file.filename().string(), file.string(), recipient.reach.postal),
                LetterResult::kPrinted);
}

}  // namespace cartera::delivery
