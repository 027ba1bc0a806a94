// The files under templates/, embedded by embed_templates.cmake into the
// generated default_templates_data.cc. Internal to default_templates.cc.
#pragma once

#include <span>
#include <string_view>

namespace cartera::templates::internal {

struct EmbeddedTemplateFile {
  std::string_view path;  // relative to templates/: "es/email/overdue_30.cordial.mustache"
  std::string_view text;
};

std::span<const EmbeddedTemplateFile> EmbeddedTemplateFiles();

}  // namespace cartera::templates::internal
