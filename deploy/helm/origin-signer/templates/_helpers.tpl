{{/* The chart's name, or nameOverride. */}}
{{- define "origin-signer.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name: fullnameOverride, else <release>-<name> (just <release> when it already holds the name). */}}
{{- define "origin-signer.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "origin-signer.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The pods' selector: name and instance. */}}
{{- define "origin-signer.selectorLabels" -}}
app.kubernetes.io/name: {{ include "origin-signer.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "origin-signer.labels" -}}
helm.sh/chart: {{ include "origin-signer.chart" . }}
{{ include "origin-signer.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "origin-signer.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "origin-signer.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The config's server.port and server.admin.port (the proxy's defaults when unset). */}}
{{- define "origin-signer.httpPort" -}}
{{- dig "server" "port" 8080 .Values.config | int }}
{{- end }}
{{- define "origin-signer.adminPort" -}}
{{- dig "server" "admin" "port" 9090 .Values.config | int }}
{{- end }}

{{/* config.cache.disk.path, or empty. */}}
{{- define "origin-signer.cacheDiskPath" -}}
{{- dig "cache" "disk" "path" "" .Values.config }}
{{- end }}

{{- define "origin-signer.redisName" -}}
{{- printf "%s-redis" (include "origin-signer.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Redis's pods: another name label, so that no selector of the proxy's (Deployment, Service, PDB, ServiceMonitor) matches them. */}}
{{- define "origin-signer.redisSelectorLabels" -}}
app.kubernetes.io/name: {{ printf "%s-redis" (include "origin-signer.name" .) | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "origin-signer.redisLabels" -}}
helm.sh/chart: {{ include "origin-signer.chart" . }}
{{ include "origin-signer.redisSelectorLabels" . }}
app.kubernetes.io/component: redis
app.kubernetes.io/part-of: {{ include "origin-signer.name" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}
