// customer assign: the collector a customer is assigned to
// (access/customer_assignment.h). A collector acts only on the customers
// assigned to them or to no one.
#include <fmt/format.h>

#include "access/customer_assignment.h"
#include "cli/commands.h"

namespace cartera {

void AddCustomerCommands(CLI::App& app, CliState& state) {
  CLI::App* command = app.add_subcommand(
      "customer", L("Un cliente: a qué gestor de cobro está asignado", "One customer: the collector it is assigned to"));
  command->require_subcommand(1);

  struct AssignArgs {
    std::string customer;
    std::string collector;
    bool unassign = false;
  };
  auto args = std::make_shared<AssignArgs>();
  CLI::App* assign = command->add_subcommand(
      "assign", L("Asigna el cliente a un gestor de cobro (un usuario con rol collector o superior)",
                  "Assign the customer to a collector (a user with the role collector or above)"));
  assign->add_option("customer", args->customer, L("Id externo del cliente", "The customer's external id"))->required();
  CLI::Option* collector = assign->add_option("--collector", args->collector,
                                              L("Correo del usuario gestor", "The collector user's e-mail"));
  CLI::Option* unassign =
      assign->add_flag("--unassign", args->unassign, L("Deja el cliente sin asignar", "Leave the customer unassigned"));
  collector->excludes(unassign);
  assign->callback([&state, args]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      const Language language = context->language();
      if (args->collector.empty() && !args->unassign) {
        return Fail(Error::BadInput(std::string(
            Tr(language, "indique --collector CORREO o --unassign", "give --collector EMAIL or --unassign"))));
      }
      std::optional<std::string> wanted;
      if (!args->unassign) wanted = args->collector;
      auto assigned = access::AssignCustomer(context->database(), context->tenant_id(), args->customer, wanted,
                                             context->Audit("cartera customer assign"));
      if (!assigned) return Fail(assigned.error());
      if (!context->quiet()) {
        if (*assigned) {
          std::cout << TrFormat(language, "Cliente {} asignado a {}\n", "Customer {} assigned to {}\n", args->customer,
                                **assigned);
        } else {
          std::cout << TrFormat(language, "Cliente {} sin asignar\n", "Customer {} unassigned\n", args->customer);
        }
      }
      return {};
    });
  });
}

}  // namespace cartera
