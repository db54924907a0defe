{{/* Chart name, truncated to the 63 characters a label value allows. */}}
{{- define "network-operator.name" -}}
{{- default .Chart.Name .Values.operator.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Object name prefix: the release name when it already contains the chart name, else <release>-<chart>.
Same rule as the upstream chart, so object names stay the same after switching charts.
*/}}
{{- define "network-operator.fullname" -}}
{{- if .Values.operator.fullnameOverride }}
{{- .Values.operator.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.operator.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "network-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every object the chart renders. */}}
{{- define "network-operator.labels" -}}
helm.sh/chart: {{ include "network-operator.chart" . }}
{{ include "network-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Labels that select the operator pod; never change them (Deployment selectors are immutable). */}}
{{- define "network-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "network-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
The operator image reference; the hook Jobs run the same image. Upstream's Go operator image has another command line
(`/manager`, `/apply-crds`, `/keep-ncp`) than the one this chart runs, so pointing at it would deploy an operator that
cannot start: refuse it here, where every pod that uses the image gets its reference.
*/}}
{{- define "network-operator.image" -}}
{{- $repository := .Values.operator.repository | toString | trimSuffix "/" -}}
{{- if and (eq (toString .Values.operator.image) "network-operator") (regexMatch "^(nvcr\\.io/(nvidia|nvstaging)/(mellanox|cloud-native)|ghcr\\.io/mellanox|mellanox)$" $repository) }}
{{- fail (printf "operator.repository/operator.image point at NVIDIA's Go operator image (%s/network-operator). This chart runs the .NET operator (`network-operator run`, `network-operator crds --apply`, `network-operator keep-ncp`), which that image does not contain, so the operator and its hooks would fail at start. Build and push this repository's image and set operator.repository (and operator.image/operator.tag) to it; see docs/install.md, \"Container image\"." $repository) }}
{{- end }}
{{- $tag := .Values.operator.tag | default .Chart.AppVersion -}}
{{- printf "%s/%s:%s" $repository .Values.operator.image $tag }}
{{- end }}

{{/* Upstream values this chart cannot honour are refused with a reason instead of being ignored. */}}
{{- define "network-operator.refuseUnsupportedValues" -}}
{{- if (.Values.operator.coverage).enabled }}
{{- fail "operator.coverage.enabled: Go coverage collection applies only to upstream's Go operator image; this operator is a .NET binary. Set it to false." }}
{{- end }}
{{- if (.Values.operator.maintenanceOperator).useDrainControllerRequestor }}
{{- fail "operator.maintenanceOperator.useDrainControllerRequestor: this operator has no SR-IOV drain controller (docs/differences-from-upstream.md). Set it to false; the SR-IOV network operator then drains nodes for its own configuration changes." }}
{{- end }}
{{- end }}

{{/* Pull secrets: operator.imagePullSecrets wins over the top-level list. */}}
{{- define "network-operator.imagePullSecrets" -}}
{{- $secrets := .Values.operator.imagePullSecrets | default .Values.imagePullSecrets -}}
{{- if $secrets }}
imagePullSecrets:
{{- range $secrets }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end }}

{{- define "network-operator.serviceAccountName" -}}
{{ include "network-operator.fullname" . }}
{{- end }}

{{/*
Webhook object names, as upstream's chart names them (from the release name), so scripts that look them up keep
working; the operator receives them through env so it can patch the CA bundle.
*/}}
{{- define "network-operator.webhookServiceName" -}}
{{ .Release.Name | trunc 47 | trimSuffix "-" }}-webhook-service
{{- end }}

{{- define "network-operator.webhookConfigurationName" -}}
{{ .Release.Name }}-validating-webhook-configuration
{{- end }}

{{- define "network-operator.webhookCertificateName" -}}
{{ .Release.Name }}-serving-cert
{{- end }}

{{- define "network-operator.webhookIssuerName" -}}
{{ .Release.Name }}-selfsigned-issuer
{{- end }}

{{- define "network-operator.webhookSecretName" -}}
webhook-server-cert
{{- end }}

{{/* Where the webhook server reads tls.crt/tls.key (the controller-runtime convention). */}}
{{- define "network-operator.webhookCertDir" -}}
/tmp/k8s-webhook-server/serving-certs
{{- end }}

{{/* The webhook certificate comes from a Secret (cert-manager or user-provided) rather than being generated. */}}
{{- define "network-operator.webhookCertFromSecret" -}}
{{- if or .Values.operator.admissionController.useCertManager .Values.operator.admissionController.certificate.tlsCrt -}}
true
{{- end -}}
{{- end }}

{{/* Pod security settings shared by the operator and the CRD hook. */}}
{{- define "network-operator.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
# Secret volumes (the webhook certificate, mode 0440) are group-owned by fsGroup, so the operator can read them.
fsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "network-operator.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end }}
