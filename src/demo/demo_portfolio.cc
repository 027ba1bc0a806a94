#include "demo/demo_portfolio.h"

#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "core/money.h"

namespace cartera {
namespace {

// SplitMix64: tiny, fast and specified bit for bit, so a seed gives the same
// portfolio on every machine (std:: distributions are not portable).
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  int64_t Between(int64_t low, int64_t high) {  // inclusive
    return low + static_cast<int64_t>(Next() % static_cast<uint64_t>(high - low + 1));
  }
  bool Chance(double probability) { return Uniform() < probability; }
  double Normal() {  // Box-Muller
    double u1 = Uniform();
    if (u1 < 1e-300) u1 = 1e-300;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * Uniform());
  }
  template <typename T, size_t N>
  const T& Pick(const std::array<T, N>& items) {
    return items[Next() % N];
  }

 private:
  uint64_t state_;
};

constexpr std::array<std::string_view, 24> kFirstNames = {
    "Andrés", "Camila", "Juan", "Valentina", "Carlos", "Daniela", "Santiago", "Laura", "Felipe", "María",
    "Sebastián", "Natalia", "Alejandro", "Paula", "Diego", "Carolina", "Jorge", "Luisa", "Mateo", "Isabel",
    "Julián", "Sofía", "Ricardo", "Ángela"};
constexpr std::array<std::string_view, 24> kSurnames = {
    "García", "Rodríguez", "Martínez", "López", "González", "Hernández", "Pérez", "Sánchez", "Ramírez", "Torres",
    "Díaz", "Vargas", "Moreno", "Rojas", "Castro", "Ortiz", "Muñoz", "Jiménez", "Gómez", "Restrepo",
    "Cárdenas", "Salazar", "Ospina", "Londoño"};
constexpr std::array<std::string_view, 20> kBusinessWords = {
    "Distribuidora", "Comercializadora", "Ferretería", "Droguería", "Inversiones", "Construcciones",
    "Transportes", "Alimentos", "Textiles", "Suministros", "Servicios", "Agroindustrias", "Tecnología",
    "Logística", "Confecciones", "Panificadora", "Importadora", "Laboratorios", "Muebles", "Papelería"};
constexpr std::array<std::string_view, 16> kBusinessNames = {
    "Andina", "del Valle", "El Roble", "La Esperanza", "Santa Fe", "Los Andes", "del Caribe", "San José",
    "La Montaña", "El Dorado", "Pacífico", "La Sabana", "Antioquia", "Cafetera", "Nueva Granada", "Orinoco"};
constexpr std::array<std::string_view, 3> kLegalForms = {"S.A.S.", "Ltda.", "S.A."};
constexpr std::array<std::string_view, 10> kCities = {"Bogotá D.C.", "Medellín", "Cali", "Barranquilla", "Bucaramanga",
                                                     "Cartagena", "Pereira", "Manizales", "Cúcuta", "Ibagué"};
constexpr std::array<std::string_view, 6> kMethods = {"transferencia", "pse", "consignacion", "tarjeta", "efectivo",
                                                      "cheque"};
constexpr std::array<std::string_view, 4> kCreditReasons = {"Devolución de mercancía", "Descuento comercial",
                                                            "Error en facturación", "Avería en transporte"};

enum class Profile { kPunctual, kOccasional, kChronic };

std::string Ascii(std::string_view text) {
  // For email local parts: drop accents the simple way.
  static const std::array<std::pair<std::string_view, char>, 12> kMap = {{{"á", 'a'}, {"é", 'e'}, {"í", 'i'}, {"ó", 'o'},
                                                                         {"ú", 'u'}, {"ñ", 'n'}, {"Á", 'a'}, {"É", 'e'},
                                                                         {"Í", 'i'}, {"Ó", 'o'}, {"Ú", 'u'}, {"Ñ", 'n'}}};
  std::string out;
  for (size_t i = 0; i < text.size();) {
    bool replaced = false;
    for (const auto& [from, to] : kMap) {
      if (text.substr(i, from.size()) == from) {
        out += to;
        i += from.size();
        replaced = true;
        break;
      }
    }
    if (replaced) continue;
    const char c = text[i++];
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out += c;
    if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string Csv(std::string_view value) {
  if (value.find_first_of(",\"\n") == std::string_view::npos) return std::string(value);
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace

int NitCheckDigit(std::string_view nit_digits) {
  static constexpr std::array<int, 15> kWeights = {3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71};
  int sum = 0;
  for (size_t i = 0; i < nit_digits.size() && i < kWeights.size(); ++i) {
    sum += (nit_digits[nit_digits.size() - 1 - i] - '0') * kWeights[i];
  }
  const int remainder = sum % 11;
  return remainder > 1 ? 11 - remainder : remainder;
}

Result<DemoFiles> WriteDemoPortfolio(const DemoOptions& options) {
  std::error_code error;
  std::filesystem::create_directories(options.directory, error);
  if (error) return Fail(Error::BadInput(fmt::format("cannot create '{}': {}", options.directory, error.message())));
  DemoFiles files;
  files.customers = options.directory + "/customers.csv";
  files.invoices = options.directory + "/invoices.csv";
  files.payments = options.directory + "/payments.csv";
  files.credit_notes = options.directory + "/credit-notes.csv";
  std::ofstream customers(files.customers), invoices(files.invoices), payments(files.payments),
      credit_notes(files.credit_notes);
  if (!customers || !invoices || !payments || !credit_notes) {
    return Fail(Error::BadInput(fmt::format("cannot write the demo files in '{}'", options.directory)));
  }
  customers << "external_id,name,tax_id,country,kind,time_zone,language,email,phone,whatsapp,address,credit_limit,"
               "currency,segment,sector,consent_email,consent_sms,consent_whatsapp\n";
  invoices << "external_id,customer_external_id,number,issue_date,due_date,currency,amount,description\n";
  payments << "external_id,customer_external_id,date,currency,amount,method,reference,invoice_external_id\n";
  credit_notes << "external_id,customer_external_id,invoice_external_id,date,currency,amount,reason\n";

  Random random(options.seed);
  const int history_days = 365;
  int64_t invoice_number = 1000;
  for (int64_t c = 1; c <= options.customers; ++c) {
    const std::string customer_id = fmt::format("CLI-{:06}", c);
    const bool is_company = random.Chance(0.7);
    std::string name, tax_id, email;
    const std::string_view first = random.Pick(kFirstNames), surname = random.Pick(kSurnames);
    if (is_company) {
      const std::string_view word = random.Pick(kBusinessWords), place = random.Pick(kBusinessNames);
      name = fmt::format("{} {} {}", word, place, random.Pick(kLegalForms));
      const std::string nit = fmt::format("{}", 800000000 + random.Between(0, 199999999));
      tax_id = fmt::format("{}-{}", nit, NitCheckDigit(nit));
      email = fmt::format("cartera{}@{}{}.com.co", c, Ascii(word), Ascii(place));
    } else {
      name = fmt::format("{} {} {}", first, surname, random.Pick(kSurnames));
      tax_id = fmt::format("{}", 10000000 + random.Between(0, 1189999999));
      email = fmt::format("{}.{}{}@correo.com.co", Ascii(first), Ascii(surname), c);
    }
    const double profile_draw = random.Uniform();
    const Profile profile = profile_draw < 0.5 ? Profile::kPunctual : profile_draw < 0.8 ? Profile::kOccasional
                                                                                          : Profile::kChronic;
    const std::string phone = fmt::format("+573{:09}", random.Between(0, 999999999));
    // Heavy tail: a few customers buy far more than the median one.
    const double size_scale = std::exp(1.1 * random.Normal());
    const int64_t credit_limit_pesos = static_cast<int64_t>(std::llround(20000000.0 * size_scale / 1000000.0)) * 1000000 + 5000000;
    // Consumers sign a data-processing authorisation (Ley 1581 / Ley 2300) for
    // most channels; companies' contact points are the business's to use.
    const bool has_whatsapp = random.Chance(0.6);
    const std::string consent_email = is_company ? "" : (random.Chance(0.9) ? "yes" : "no");
    const std::string consent_sms = is_company ? "" : (random.Chance(0.7) ? "yes" : "");
    const std::string consent_whatsapp = is_company || !has_whatsapp ? "" : (random.Chance(0.8) ? "yes" : "");
    customers << fmt::format("{},{},{},CO,{},America/Bogota,es,{},{},{},{},{}.00,COP,,{},{},{},{}\n", customer_id,
                             Csv(name), tax_id, is_company ? "company" : "person", email, phone,
                             has_whatsapp ? phone : "",
                             Csv(fmt::format("Calle {} # {}-{}, {}", random.Between(1, 150), random.Between(1, 99),
                                             random.Between(1, 99), random.Pick(kCities))),
                             credit_limit_pesos, is_company ? "empresa" : "persona natural", consent_email, consent_sms,
                             consent_whatsapp);

    const int64_t invoice_count = 1 + static_cast<int64_t>(random.Uniform() * 9.0);  // 1..9, mean 5
    for (int64_t k = 0; k < invoice_count; ++k) {
      const Date issue = options.as_of.PlusDays(-static_cast<int32_t>(random.Between(0, history_days)));
      const int32_t terms = random.Chance(0.6) ? 30 : (random.Chance(0.5) ? 60 : 15);
      const Date due = issue.PlusDays(terms);
      // Log-normal sizes around COP 2.5 million, whole pesos.
      const double pesos = std::clamp(2500000.0 * size_scale * std::exp(0.9 * random.Normal()), 50000.0, 900000000.0);
      const int64_t amount_minor = static_cast<int64_t>(std::llround(pesos)) * 100;
      const std::string invoice_id = fmt::format("FV-{}", ++invoice_number);
      invoices << fmt::format("{},{},{},{},{},COP,{},{}\n", invoice_id, customer_id, invoice_id, issue.ToIso(),
                              due.ToIso(), FormatMinorUnits(amount_minor, 2),
                              Csv(fmt::format("Venta de {}", Ascii(random.Pick(kBusinessWords)))));
      ++files.invoice_count;

      int64_t owed_minor = amount_minor;
      if (random.Chance(0.04)) {
        const Date credit_date = issue.PlusDays(static_cast<int32_t>(random.Between(1, 20)));
        if (credit_date <= options.as_of) {
          const int64_t credit_minor = amount_minor / 100 * random.Between(5, 20);
          credit_notes << fmt::format("NC-{},{},{},{},COP,{},{}\n", invoice_number, customer_id, invoice_id,
                                      credit_date.ToIso(), FormatMinorUnits(credit_minor, 2),
                                      Csv(random.Pick(kCreditReasons)));
          ++files.credit_note_count;
          owed_minor -= credit_minor;
        }
      }
      // When and how much the customer pays, by profile.
      int32_t delay = 0;
      double pays_probability = 1.0, partial_probability = 0.0;
      switch (profile) {
        case Profile::kPunctual:
          delay = static_cast<int32_t>(random.Between(-5, 3));
          pays_probability = 0.99;
          break;
        case Profile::kOccasional:
          delay = random.Chance(0.6) ? static_cast<int32_t>(random.Between(-2, 5)) : static_cast<int32_t>(random.Between(6, 50));
          pays_probability = 0.95;
          partial_probability = 0.1;
          break;
        case Profile::kChronic:
          delay = static_cast<int32_t>(random.Between(20, 160));
          pays_probability = 0.7;
          partial_probability = 0.35;
          break;
      }
      if (!random.Chance(pays_probability)) continue;
      const Date paid_on = due.PlusDays(delay);
      if (paid_on > options.as_of || paid_on < issue) continue;
      int64_t paid_minor = owed_minor;
      if (random.Chance(partial_probability)) paid_minor = owed_minor / 100 * random.Between(20, 80);
      if (paid_minor <= 0) continue;
      payments << fmt::format("PAG-{},{},{},COP,{},{},{},{}\n", invoice_number, customer_id, paid_on.ToIso(),
                              FormatMinorUnits(paid_minor, 2), random.Pick(kMethods),
                              fmt::format("REF{:08}", random.Between(0, 99999999)),
                              random.Chance(0.8) ? invoice_id : "");
      ++files.payment_count;
    }
    if (options.on_progress && c % 10000 == 0) options.on_progress(c);
  }
  for (std::ofstream* stream : {&customers, &invoices, &payments, &credit_notes}) {
    stream->flush();
    if (!*stream) return Fail(Error::Internal("writing the demo files failed (disk full?)"));
  }
  return files;
}

}  // namespace cartera
