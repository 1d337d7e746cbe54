"""Layer 3: facts rules share (package-manager invocations, build context, requirements, services,
split planning, image knowledge and its data, templates). Imports core and syntax."""
