#!/usr/bin/env bash
# Grants (or with --revoke removes) the Microsoft Graph application permission ThreatHunting.Read.All
# for the hunter's user-assigned managed identity: what the defender backend needs to call
# POST /security/runHuntingQuery.
#
# infra/main.bicep already grants it through the Microsoft Graph Bicep extension when
# QUERY_BACKEND=defender and GRANT_GRAPH_PERMISSION=true. Use this script when the person running
# `azd up` may not grant Graph app roles: they deploy with GRANT_GRAPH_PERMISSION=false, and an admin
# who holds AppRoleAssignment.ReadWrite.All + Application.Read.All (e.g. Privileged Role Administrator)
# runs this once, signed in with `az login`.
#
# Usage:
#   infra/scripts/grant-graph-permission.sh [--principal-id <object id>] [--revoke]
# Without --principal-id it reads AZURE_MANAGED_IDENTITY_PRINCIPAL_ID from the environment or from
# `azd env get-values` (a main.bicep output).
#
# Graph calls used (v1.0):
#   GET    /servicePrincipals/{id}/appRoleAssignments
#   POST   /servicePrincipals/{id}/appRoleAssignments   {principalId, resourceId, appRoleId}
#   DELETE /servicePrincipals/{id}/appRoleAssignments/{assignmentId}
#   https://learn.microsoft.com/graph/api/serviceprincipal-post-approleassignments
set -euo pipefail

# Same constants as infra/modules/roleIds.bicep.
readonly MICROSOFT_GRAPH_APP_ID='00000003-0000-0000-c000-000000000000'   # Microsoft Graph (first-party application id)
readonly THREAT_HUNTING_READ_ALL_APP_ROLE_ID='dd98c7f5-2d42-42d3-a0e4-633161547251' # ThreatHunting.Read.All

principal_id="${AZURE_MANAGED_IDENTITY_PRINCIPAL_ID:-}"
revoke=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --principal-id) principal_id="${2:?--principal-id needs a value}"; shift 2 ;;
    --revoke) revoke=true; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [[ -z "$principal_id" ]] && command -v azd >/dev/null 2>&1; then
  principal_id="$(azd env get-values 2>/dev/null | sed -n 's/^AZURE_MANAGED_IDENTITY_PRINCIPAL_ID="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p')"
fi
if [[ -z "$principal_id" ]]; then
  echo "no principal id: pass --principal-id <object id of the managed identity>, or run inside the azd environment after 'azd provision'" >&2
  exit 2
fi

# The Graph endpoint of the cloud az is signed in to (public, US Gov, China).
graph="$(az cloud show --query endpoints.microsoftGraphResourceId --output tsv)"
graph="${graph%/}/v1.0"

graph_sp_id="$(az ad sp show --id "$MICROSOFT_GRAPH_APP_ID" --query id --output tsv)"
assignment_id="$(az rest --method GET \
  --url "$graph/servicePrincipals/$principal_id/appRoleAssignments" \
  --query "value[?appRoleId=='$THREAT_HUNTING_READ_ALL_APP_ROLE_ID' && resourceId=='$graph_sp_id'].id | [0]" \
  --output tsv)"

if [[ "$revoke" == true ]]; then
  if [[ -z "$assignment_id" ]]; then
    echo "ThreatHunting.Read.All is not granted to $principal_id; nothing to revoke."
    exit 0
  fi
  az rest --method DELETE --url "$graph/servicePrincipals/$principal_id/appRoleAssignments/$assignment_id" >/dev/null
  echo "Revoked ThreatHunting.Read.All from $principal_id."
  exit 0
fi

if [[ -n "$assignment_id" ]]; then
  echo "ThreatHunting.Read.All is already granted to $principal_id."
  exit 0
fi
az rest --method POST \
  --url "$graph/servicePrincipals/$principal_id/appRoleAssignments" \
  --headers 'Content-Type=application/json' \
  --body "{\"principalId\":\"$principal_id\",\"resourceId\":\"$graph_sp_id\",\"appRoleId\":\"$THREAT_HUNTING_READ_ALL_APP_ROLE_ID\"}" >/dev/null
echo "Granted ThreatHunting.Read.All to $principal_id. A running app picks it up with its next token (restart the Function App to be sure)."
