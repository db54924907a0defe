{{/*
Renders RBAC rules from a list in rbac-requirements.yaml. The shorthand verb `full` expands to the seven verbs that
make up read-write access; `reason` is documentation and is not rendered.
*/}}
{{- define "network-operator.rbacRules" -}}
{{- $full := list "create" "delete" "get" "list" "patch" "update" "watch" -}}
{{- range . }}
{{- $verbs := list }}
{{- range .verbs }}
{{- if eq . "full" }}{{ $verbs = concat $verbs $full }}{{ else }}{{ $verbs = append $verbs . }}{{ end }}
{{- end }}
- apiGroups: {{ toJson .apiGroups }}
  resources: {{ toJson .resources }}
  {{- with .resourceNames }}
  resourceNames: {{ toJson . }}
  {{- end }}
  verbs: {{ $verbs | uniq | toJson }}
{{- end }}
{{- end }}

{{- define "network-operator.rbacRequirements" -}}
{{- .Files.Get "rbac-requirements.yaml" -}}
{{- end }}
