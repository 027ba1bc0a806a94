// `cartera bounces ingest`: the delivery reports in email files and Maildir
// directories, read one file at a time. One file that cannot be read (a
// link to nothing, a directory where a message should be, a file that is
// not an email) is reported with its reason and the rest are read all the
// same: a mailbox is never stuck behind one bad message.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/language.h"
#include "delivery/inbound_events.h"
#include "delivery/secret_box.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera::delivery {

// The files to read: each file given as it is, and every entry of a
// Maildir's new/ and cur/ (names starting with "." aside), in name order.
// kBadInput for a directory that is not a Maildir (no new/).
Result<std::vector<std::filesystem::path>> BounceFiles(const std::vector<std::string>& paths, Language language);

struct BounceFileResult {
  std::filesystem::path file;
  std::optional<std::string> problem;  // set: the file was not read (why, in the language asked), nothing changed for it
  std::vector<WebhookOutcome> outcomes;  // what each report changed or why it was ignored
};

// Reads and ingests every file (IngestDeliveryReport), each audited with
// source "bounce <file name>". Fails only when the database does.
Result<std::vector<BounceFileResult>> IngestBounceFiles(Database& database, int64_t tenant_id,
                                                        const std::vector<std::filesystem::path>& files,
                                                        const SecretKey& key, Timestamp now,
                                                        const AuditContext& audit, Language language);

}  // namespace cartera::delivery
