// webhook-endpoint add|list|remove|deliveries|replay|send: a tenant's
// outbound webhooks (webhooks/). Each subcommand parses, calls one use case
// and prints its record's one JSON shape or a table.
#include <atomic>
#include <iostream>

#include <fmt/format.h>

#include "cli/commands.h"
#include "core/time_zone.h"
#include "webhooks/webhook_endpoints.h"
#include "webhooks/webhook_events.h"
#include "webhooks/webhook_sender.h"

namespace cartera {
namespace {

std::vector<std::string> SplitEvents(const std::string& text) {
  std::vector<std::string> events;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    std::string event = text.substr(start, comma - start);
    event.erase(0, event.find_first_not_of(' '));
    event.erase(event.find_last_not_of(' ') + 1);
    if (!event.empty()) events.push_back(event);
    start = comma + 1;
  }
  return events;
}

std::string JoinEvents(const std::vector<std::string>& events) {
  std::string joined;
  for (const std::string& event : events) joined += (joined.empty() ? "" : ",") + event;
  return joined;
}

void PrintEndpoints(const std::vector<webhooks::WebhookEndpoint>& endpoints, OutputFormat format, Language language) {
  if (format == OutputFormat::kJson) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& endpoint : endpoints) list.push_back(webhooks::WebhookEndpointJson(endpoint));
    std::cout << list.dump(2) << '\n';
    return;
  }
  TextTable table({"id", "url", std::string(Tr(language, "eventos", "events")),
                   std::string(Tr(language, "estado", "status")), std::string(Tr(language, "descripción", "description"))},
                  {true, false, false, false, false});
  for (const auto& endpoint : endpoints) {
    table.AddRow({std::to_string(endpoint.id), endpoint.url, JoinEvents(endpoint.events),
                  endpoint.disabled_at ? "disabled" : "enabled", endpoint.description});
  }
  table.Print(std::cout);
}

void PrintDeliveries(const std::vector<webhooks::WebhookDelivery>& deliveries, OutputFormat format) {
  if (format == OutputFormat::kJson) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& delivery : deliveries) list.push_back(webhooks::WebhookDeliveryJson(delivery));
    std::cout << list.dump(2) << '\n';
    return;
  }
  TextTable table({"id", "endpoint", "event", "type", "status", "attempts", "next_attempt_at", "last_error"},
                  {true, true, false, false, false, true, false, false});
  for (const auto& delivery : deliveries) {
    table.AddRow({std::to_string(delivery.id), std::to_string(delivery.endpoint_id), delivery.event_id,
                  delivery.event_type, delivery.status, std::to_string(delivery.attempts), delivery.next_attempt_at,
                  delivery.last_error.value_or("")});
  }
  table.Print(std::cout);
}

}  // namespace

void AddWebhookEndpointCommands(CLI::App& app, CliState& state) {
  CLI::App* group = app.add_subcommand(
      "webhook-endpoint", L("Webhooks salientes: las URL de sus sistemas que reciben los eventos de Cartera",
                            "Outbound webhooks: your systems' URLs that receive Cartera's events"));
  group->require_subcommand(1);
  std::string known;
  for (std::string_view event : webhooks::kEventTypes) known += (known.empty() ? "" : ", ") + std::string(event);

  struct AddArgs {
    std::string url, events, description, format = "table";
  };
  auto add_args = std::make_shared<AddArgs>();
  CLI::App* add = group->add_subcommand(
      "add", L("Registra una URL (https://) y los eventos que recibe; imprime su secreto de firma una sola vez",
               "Register a URL (https://) and the events it receives; prints its signing secret once"));
  add->add_option("url", add_args->url, "https://...")->required();
  add->add_option("--events", add_args->events, L("Separados por comas: ", "Comma separated: ") + known)->required();
  add->add_option("--description", add_args->description, L("Para quién es (opcional)", "What it is for (optional)"));
  add->add_option("--format", add_args->format, "table | json");
  add->callback([&state, add_args]() {
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(add_args->format, false);
      if (!format) return Fail(format.error());
      auto key = delivery::LoadSecretKey();
      if (!key) return Fail(key.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto registered = webhooks::RegisterEndpoint(context->database(), context->tenant_id(), add_args->url,
                                                   SplitEvents(add_args->events), add_args->description, *key,
                                                   context->Audit("cartera webhook-endpoint add"));
      if (!registered) return Fail(registered.error());
      if (*format == OutputFormat::kJson) {
        nlohmann::json json = webhooks::WebhookEndpointJson(registered->endpoint);
        json["secret"] = registered->secret;
        std::cout << json.dump(2) << '\n';
        return {};
      }
      const Language language = context->language();
      PrintEndpoints({registered->endpoint}, *format, language);
      std::cout << fmt::format("{} {}\n{}\n", Tr(language, "Secreto de firma:", "Signing secret:"), registered->secret,
                               Tr(language,
                                  "Guárdelo ahora: no se vuelve a mostrar. Verifique con él la cabecera Cartera-Signature.",
                                  "Keep it now: it is not shown again. Verify the Cartera-Signature header with it."));
      return {};
    });
  });

  auto list_format = std::make_shared<std::string>("table");
  CLI::App* list = group->add_subcommand("list", L("Lista los endpoints", "List the endpoints"));
  list->add_option("--format", *list_format, "table | json");
  list->callback([&state, list_format]() {
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(*list_format, false);
      if (!format) return Fail(format.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto endpoints = webhooks::ListEndpoints(context->database(), context->tenant_id());
      if (!endpoints) return Fail(endpoints.error());
      PrintEndpoints(*endpoints, *format, context->language());
      return {};
    });
  });

  auto remove_id = std::make_shared<int64_t>(0);
  CLI::App* remove = group->add_subcommand(
      "remove", L("Da de baja un endpoint: no recibe nada más; lo pendiente se cancela",
                  "Remove an endpoint: it receives nothing more; what was queued is cancelled"));
  remove->add_option("id", *remove_id, L("Id del endpoint", "Endpoint id"))->required();
  remove->callback([&state, remove_id]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto removed = webhooks::DisableEndpoint(context->database(), context->tenant_id(), *remove_id,
                                               context->Audit("cartera webhook-endpoint remove"));
      if (!removed) return Fail(removed.error());
      if (!context->quiet()) {
        std::cout << TrFormat(context->language(), "Endpoint {} dado de baja\n", "Endpoint {} removed\n", *remove_id);
      }
      return {};
    });
  });

  struct DeliveriesArgs {
    std::string status, format = "table";
    int64_t endpoint = 0;
    int64_t limit = 100;
  };
  auto deliveries_args = std::make_shared<DeliveriesArgs>();
  CLI::App* deliveries = group->add_subcommand(
      "deliveries", L("Lista las entregas, las más nuevas primero", "List the deliveries, newest first"));
  deliveries->add_option("--status", deliveries_args->status, "queued | sending | delivered | failed | cancelled");
  deliveries->add_option("--endpoint", deliveries_args->endpoint, L("Solo las de este endpoint", "Only this endpoint's"));
  deliveries->add_option("--limit", deliveries_args->limit, L("Como máximo estas (por omisión 100)", "At most this many (default 100)"))
      ->check(CLI::Range(1, 1000));
  deliveries->add_option("--format", deliveries_args->format, "table | json");
  deliveries->callback([&state, deliveries_args]() {
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(deliveries_args->format, false);
      if (!format) return Fail(format.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      webhooks::DeliveryFilter filter;
      if (!deliveries_args->status.empty()) filter.status = deliveries_args->status;
      if (deliveries_args->endpoint > 0) filter.endpoint_id = deliveries_args->endpoint;
      filter.limit = deliveries_args->limit;
      auto found = webhooks::ListDeliveries(context->database(), context->tenant_id(), filter, context->language());
      if (!found) return Fail(found.error());
      PrintDeliveries(*found, *format);
      return {};
    });
  });

  auto replay_id = std::make_shared<int64_t>(0);
  CLI::App* replay = group->add_subcommand(
      "replay", L("Pone de nuevo en cola una entrega fallida (o entregada), con el mismo id de evento",
                  "Queue a failed (or delivered) delivery again, with the same event id"));
  replay->add_option("id", *replay_id, L("Id de la entrega", "Delivery id"))->required();
  replay->callback([&state, replay_id]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto replayed = webhooks::ReplayDelivery(context->database(), context->tenant_id(), *replay_id,
                                               context->Audit("cartera webhook-endpoint replay"));
      if (!replayed) return Fail(replayed.error());
      if (!context->quiet()) {
        std::cout << TrFormat(context->language(), "Entrega {} en cola de nuevo\n", "Delivery {} queued again\n",
                              *replay_id);
      }
      return {};
    });
  });

  CLI::App* send = group->add_subcommand(
      "send", L("Una pasada: envía las entregas que ya tocan, de todas las empresas (`cartera serve` lo hace solo)",
                "One pass: send the deliveries that are due, for every tenant (`cartera serve` does it by itself)"));
  send->callback([&state]() {
    Guarded(state, [&]() -> Status {
      auto key = delivery::LoadSecretKey();
      if (!key) return Fail(key.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      delivery::HttpClient http;
      const std::atomic<bool> stop{false};
      auto stats = webhooks::DeliverWebhooks(context->database(), *key, context->clock(), http, stop);
      if (!stats) return Fail(stats.error());
      if (!context->quiet()) {
        std::cout << TrFormat(context->language(), "{} entregadas, {} por reintentar, {} fallidas\n",
                              "{} delivered, {} to retry, {} failed\n", stats->delivered, stats->retrying,
                              stats->failed);
      }
      return {};
    });
  });
}

}  // namespace cartera
