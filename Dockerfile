# The network-operator image the Helm chart runs (operator Deployment and CRD upgrade hook).
#   docker build -t ghcr.io/network-operator-dotnet/network-operator:v26.7.0 .
# tests/NetworkOperator.Chart.Tests runs this file's `dotnet publish` line and starts the result, since no container
# engine is available in CI; keep that RUN line a single `dotnet publish` command.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# Native AOT links the executable with clang and zlib.
RUN apt-get update && apt-get install -y --no-install-recommends clang zlib1g-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Restore first, from the project files only, so source edits do not invalidate the package layer. The operator binary
# references neither the simulator nor the tools executable (demo, sim, bench-*), so their projects are not needed.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/NetworkOperator.Api/NetworkOperator.Api.csproj src/NetworkOperator.Api/
COPY src/NetworkOperator.Rendering/NetworkOperator.Rendering.csproj src/NetworkOperator.Rendering/
COPY src/NetworkOperator.Runtime/NetworkOperator.Runtime.csproj src/NetworkOperator.Runtime/
COPY src/NetworkOperator.Controllers/NetworkOperator.Controllers.csproj src/NetworkOperator.Controllers/
COPY src/NetworkOperator.Cli/NetworkOperator.Cli.csproj src/NetworkOperator.Cli/
RUN dotnet restore src/NetworkOperator.Cli -r linux-x64
COPY src/ src/
# A native executable (PublishAot in the project): no .NET runtime in the image, no JIT at run time; the operator's
# working set stays under the upstream chart's 128Mi (docs/operator.md, "Memory").
RUN dotnet publish src/NetworkOperator.Cli -c Release -r linux-x64 -o /app

# Only what a native executable needs (libc, OpenSSL for TLS); globalization is invariant, so no ICU.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0
LABEL org.opencontainers.image.title="network-operator" \
      org.opencontainers.image.description="NVIDIA Network Operator for .NET" \
      org.opencontainers.image.source="https://github.com/network-operator-dotnet/network-operator"
WORKDIR /app
# The executable only: the publish folder also holds its debug symbols (network-operator.dbg) and XML docs.
COPY --from=build /app/network-operator /app/network-operator
# The CRDs Helm installs from the chart, also inside the image for tooling that applies them from files.
# `network-operator crds --apply` (the chart's upgrade hook) applies the same CRDs, generated from the built-in types.
COPY deploy/helm/network-operator/crds/ /crds/network-operator/
ENV PATH="/app:${PATH}"
# Non-root, matching the chart's runAsUser; the root filesystem can then be mounted read-only.
USER 65532:65532
ENTRYPOINT ["network-operator"]
CMD ["run", "--leader-elect", "--metrics-bind-address=:8080", "--health-probe-bind-address=:8081"]
