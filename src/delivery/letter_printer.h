// Letters are printed, not sent: a due letter is written as a PDF into the
// letters directory, one file per item, for printing and posting. Claimed
// first like any send; writing the same file again is harmless, so an item
// a crash leaves `unknown` can simply be printed again.
#pragma once

#include "delivery/due_items.h"
#include "delivery/send_transitions.h"
#include "templates/message_renderer.h"

namespace cartera::delivery {

enum class LetterResult { kPrinted = 1, kFailed = 2, kRetrying = 3, kTakenByAnother = 4 };

// REQUIRES: options.letters_dir set; the item claimable (queued).
Result<LetterResult> PrintLetter(Database& database, const DeliveryOptions& options, SendTransitions& transitions,
                                 DueItem& item, const Recipient& recipient, const templates::MessageContext& context,
                                 Timestamp now);

}  // namespace cartera::delivery
