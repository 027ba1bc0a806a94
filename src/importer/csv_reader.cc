#include "importer/csv_reader.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <system_error>

#include <fmt/format.h>

#include "core/text_check.h"

namespace cartera {
namespace {

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

// What one parse attempt produced. kNeedMore means the buffer ended before the
// record did: the caller refills and the record is parsed again from its start,
// which is simpler than suspending mid-field and costs one partial record per
// block.
enum class Step { kRecord, kEnd, kNeedMore };

constexpr size_t kMinBlockSize = 1;  // 0 would never grow

// Length (2..4) of the valid UTF-8 sequence starting at the non-ASCII byte *p,
// 0 if it is invalid, -1 if the buffer ends before we can tell.
int Utf8SequenceLength(const char* p, const char* stop, bool eof) {
  const auto lead = static_cast<unsigned char>(*p);
  int length = 0;
  unsigned char lo = 0x80;  // allowed range of the first continuation byte
  unsigned char hi = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) lo = 0xA0;  // overlong
    if (lead == 0xED) hi = 0x9F;  // UTF-16 surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) lo = 0x90;  // overlong
    if (lead == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;  // continuation byte without a lead, or C0/C1/F5..FF
  }
  for (int i = 1; i < length; ++i) {
    if (p + i == stop) return eof ? 0 : -1;
    const auto byte = static_cast<unsigned char>(p[i]);
    if (byte < lo || byte > hi) return 0;
    lo = 0x80;
    hi = 0xBF;
  }
  return length;
}

}  // namespace

struct CsvReader::Impl {
  std::string source_name;
  std::unique_ptr<std::FILE, FileCloser> file;
  std::string pending;  // FromString content not yet fed to buf (block mode)
  size_t pending_pos = 0;

  std::string buf;  // bytes [begin, end) are read but not yet parsed
  size_t begin = 0;
  size_t end = 0;
  bool eof = false;  // nothing left to read after buf[end)
  int64_t line = 1;  // physical line of buf[begin]
  char delim = ',';
  std::optional<Error> failed;

  // Bytes the field scanners must stop at; all others just advance a pointer.
  std::array<bool, 256> unquoted_stop{};  // delimiter, CR, LF, non-ASCII
  std::array<bool, 256> quoted_stop{};    // '"', CR, LF, non-ASCII

  // Unescaped copies of fields with "" in them. A deque never moves its
  // elements, so earlier views stay valid while a row adds more.
  std::deque<std::string> scratch;
  size_t scratch_used = 0;

  Language language = Language::kEnglish;
  // The first record's fields: errors in later records name the column.
  std::vector<std::string> header;
  bool header_read = false;

  Error At(int64_t at_line, std::string_view what) const {
    return Error::BadInput(fmt::format("{}:{}: {}", source_name, at_line, what));
  }

  // Moves the unparsed tail (a partial record) to the front and reads after
  // it, doubling the buffer only when one record fills it.
  Status Refill() {
    assert(!eof);
    if (begin > 0) {
      std::memmove(buf.data(), buf.data() + begin, end - begin);
      end -= begin;
      begin = 0;
    }
    if (end == buf.size()) {
      if (buf.size() >= kMaxRecordBytes) {
        return Fail(
            At(line, TrFormat(language, "registro de más de {} MiB (¿comillas sin cerrar?)",
                              "record longer than {} MiB (unterminated quoted field?)", kMaxRecordBytes >> 20)));
      }
      buf.resize(std::min(buf.size() * 2, kMaxRecordBytes));
    }
    const size_t want = buf.size() - end;
    size_t got = 0;
    if (file) {
      got = std::fread(buf.data() + end, 1, want, file.get());
      if (got < want && std::ferror(file.get())) {
        return Fail(Error::BadInput(TrFormat(language, "{}: no se puede leer: {}", "{}: cannot read: {}", source_name,
                                             std::error_code(errno, std::generic_category()).message())));
      }
    } else {
      got = std::min(want, pending.size() - pending_pos);
      std::memcpy(buf.data() + end, pending.data() + pending_pos, got);
      pending_pos += got;
    }
    end += got;
    eof = got < want;  // like fread: a short read means the end
    return {};
  }

  // Skips the BOM, settles the delimiter and builds the stop tables.
  Status Prepare(std::optional<char> delimiter) {
    while (end - begin < 3 && !eof) {
      if (auto status = Refill(); !status) return status;
    }
    if (end - begin >= 3 && std::memcmp(buf.data() + begin, "\xEF\xBB\xBF", 3) == 0) begin += 3;
    if (delimiter) {
      [[maybe_unused]] const auto d = static_cast<unsigned char>(*delimiter);
      assert(d < 0x80 && d != '"' && d != '\n' && d != '\r');
      delim = *delimiter;
    } else if (auto status = DetectDelimiter(); !status) {
      return status;
    }
    for (int byte = 0x80; byte < 256; ++byte) unquoted_stop[byte] = quoted_stop[byte] = true;
    for (unsigned char c : {'\n', '\r'}) unquoted_stop[c] = quoted_stop[c] = true;
    unquoted_stop[static_cast<unsigned char>(delim)] = true;
    quoted_stop['"'] = true;
    return {};
  }

  // Counts unquoted ',' and ';' on the first non-empty line, reading more
  // until that line is complete. Consumes nothing.
  Status DetectDelimiter() {
    for (;;) {
      size_t i = begin;
      while (i < end && (buf[i] == '\n' || buf[i] == '\r')) ++i;
      size_t commas = 0;
      size_t semicolons = 0;
      bool quoted = false;  // "" inside quotes toggles twice, which is harmless
      bool complete = false;
      for (; i < end && !complete; ++i) {
        const char c = buf[i];
        if (c == '"') {
          quoted = !quoted;
        } else if (!quoted) {
          commas += c == ',';
          semicolons += c == ';';
          complete = c == '\n' || c == '\r';
        }
      }
      if (complete || eof) {
        delim = semicolons > commas ? ';' : ',';
        return {};
      }
      if (auto status = Refill(); !status) return status;
    }
  }

  std::string_view Unescape(std::string_view raw) {
    if (scratch_used == scratch.size()) scratch.emplace_back();
    std::string& out = scratch[scratch_used++];
    out.clear();
    for (size_t i = 0; i < raw.size(); ++i) {
      out.push_back(raw[i]);
      if (raw[i] == '"') ++i;  // the scanner only lets "" through
    }
    return out;
  }

  // Parses one record from buf[begin, end). Commits begin and line only when
  // the record is complete (empty lines are committed as they are skipped).
  Result<Step> Parse(CsvRow& row) {
    const char* const base = buf.data();
    const char* const stop = base + end;
    const char* p = base + begin;
    for (;; ++line) {  // skip empty lines
      if (p == stop || (*p == '\r' && p + 1 == stop && !eof)) {
        begin = static_cast<size_t>(p - base);
        return p == stop && eof ? Step::kEnd : Step::kNeedMore;
      }
      if (*p == '\n') {
        ++p;
      } else if (*p == '\r') {
        p += p + 1 < stop && p[1] == '\n' ? 2 : 1;
      } else {
        break;
      }
    }
    begin = static_cast<size_t>(p - base);
    row.line = line;
    row.fields.clear();
    scratch_used = 0;
    int64_t at = line;  // physical line of p

    for (;;) {  // one field per iteration
      const size_t field_number = row.fields.size() + 1;
      auto invalid_utf8 = [&] {
        if (field_number <= header.size()) {
          return Fail(At(at, TrFormat(language, "campo '{}': no es UTF-8 válido (columna {})",
                                      "field '{}': is not valid UTF-8 (column {})",
                                      EscapeForDisplay(header[field_number - 1]), field_number)));
        }
        return Fail(
            At(at, TrFormat(language, "UTF-8 no válido en el campo {}", "invalid UTF-8 in field {}", field_number)));
      };
      if (p < stop && *p == '"') {
        const int64_t opened = at;
        const char* const start = ++p;
        bool escaped = false;
        for (;;) {
          while (p < stop && !quoted_stop[static_cast<unsigned char>(*p)]) ++p;
          if (p == stop) {
            if (!eof) return Step::kNeedMore;
            return Fail(At(row.line, TrFormat(language, "campo entre comillas sin cerrar (empieza en la línea {})",
                                              "unterminated quoted field (started on line {})", opened)));
          }
          if (*p == '"') {
            if (p + 1 == stop && !eof) return Step::kNeedMore;
            if (p + 1 == stop || p[1] != '"') break;
            escaped = true;
            p += 2;
          } else if (*p == '\n') {
            ++at;
            ++p;
          } else if (*p == '\r') {  // CRLF counts once, at the LF
            if (p + 1 == stop && !eof) return Step::kNeedMore;
            if (p + 1 == stop || p[1] != '\n') ++at;
            ++p;
          } else {
            const int length = Utf8SequenceLength(p, stop, eof);
            if (length < 0) return Step::kNeedMore;
            if (length == 0) return invalid_utf8();
            p += length;
          }
        }
        const std::string_view raw(start, static_cast<size_t>(p - start));
        row.fields.push_back(escaped ? Unescape(raw) : raw);
        ++p;  // closing quote; the scan above made sure a byte follows it, or eof
        if (p < stop && *p != delim && *p != '\n' && *p != '\r') {
          return Fail(At(at, TrFormat(language, "carácter inesperado tras las comillas de cierre en el campo {}",
                                      "unexpected character after closing quote in field {}", field_number)));
        }
      } else {
        // Unquoted: a '"' here is kept as a literal (e.g. 12" pipe).
        const char* const start = p;
        for (;;) {
          while (p < stop && !unquoted_stop[static_cast<unsigned char>(*p)]) ++p;
          if (p == stop || *p == delim || *p == '\n' || *p == '\r') break;
          const int length = Utf8SequenceLength(p, stop, eof);
          if (length < 0) return Step::kNeedMore;
          if (length == 0) return invalid_utf8();
          p += length;
        }
        if (p == stop && !eof) return Step::kNeedMore;
        row.fields.push_back(std::string_view(start, static_cast<size_t>(p - start)));
      }
      // p is now at a delimiter, a line break, or the end of the input.
      if (p == stop) break;
      if (*p == delim) {
        ++p;
        continue;
      }
      if (*p == '\r') {
        if (p + 1 == stop && !eof) return Step::kNeedMore;
        p += p + 1 < stop && p[1] == '\n' ? 2 : 1;
      } else {
        ++p;
      }
      ++at;
      break;
    }
    begin = static_cast<size_t>(p - base);
    line = at;
    return Step::kRecord;
  }
};

CsvReader::CsvReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CsvReader::CsvReader(CsvReader&&) noexcept = default;
CsvReader& CsvReader::operator=(CsvReader&&) noexcept = default;
CsvReader::~CsvReader() = default;

Result<CsvReader> CsvReader::OpenFile(const std::string& path, std::optional<char> delimiter, size_t block_size,
                                      Language language) {
  auto impl = std::make_unique<Impl>();
  impl->source_name = path;
  impl->language = language;
  impl->file.reset(std::fopen(path.c_str(), "rb"));
  if (!impl->file) {
    const int error = errno;
    std::string message = TrFormat(language, "{}: no se puede abrir: {}", "{}: cannot open: {}", path,
                                   std::error_code(error, std::generic_category()).message());
    return Fail(error == ENOENT ? Error::NotFound(std::move(message)) : Error::BadInput(std::move(message)));
  }
  std::setvbuf(impl->file.get(), nullptr, _IONBF, 0);  // we buffer ourselves
  impl->buf.resize(std::max(block_size, kMinBlockSize));
  if (auto status = impl->Prepare(delimiter); !status) return Fail(std::move(status.error()));
  return CsvReader(std::move(impl));
}

CsvReader CsvReader::FromString(std::string content, std::optional<char> delimiter, size_t block_size,
                                std::string source_name, Language language) {
  auto impl = std::make_unique<Impl>();
  impl->source_name = std::move(source_name);
  impl->language = language;
  if (block_size == 0) {
    impl->buf = std::move(content);
    impl->end = impl->buf.size();
    impl->eof = true;
  } else {
    impl->pending = std::move(content);
    impl->buf.resize(std::max(block_size, kMinBlockSize));
  }
  // Only an overlong header can fail here; Next reports it.
  if (auto status = impl->Prepare(delimiter); !status) impl->failed = std::move(status.error());
  return CsvReader(std::move(impl));
}

Result<bool> CsvReader::Next(CsvRow& row) {
  Impl& impl = *impl_;
  for (;;) {
    if (impl.failed) break;
    Result<Step> step = impl.Parse(row);
    if (!step) {
      impl.failed = std::move(step.error());
      break;
    }
    if (*step == Step::kRecord && !impl.header_read) {
      impl.header.assign(row.fields.begin(), row.fields.end());
      impl.header_read = true;
    }
    if (*step != Step::kNeedMore) return *step == Step::kRecord;
    if (auto status = impl.Refill(); !status) impl.failed = std::move(status.error());
  }
  row.fields.clear();  // never hand out views of a half-parsed record
  return Fail(*impl.failed);
}

char CsvReader::delimiter() const { return impl_->delim; }
const std::string& CsvReader::source_name() const { return impl_->source_name; }

}  // namespace cartera
