// Route handlers: thin adapters (parse -> call the domain -> render). Each takes what it needs.
#pragma once

#include "forgehive/agents/agent_pool.hpp"
#include "forgehive/gateway/artifact_store.hpp"
#include "forgehive/gateway/execute_service.hpp"
#include "forgehive/hive/compute_service.hpp"
#include "forgehive/http/metrics.hpp"
#include "forgehive/http/router.hpp"
#include "forgehive/store/store.hpp"

namespace forgehive::app {

// GET /healthz, GET /readyz, GET /metrics.
void add_health_routes(http::Router& router, store::Store& store, const agents::AgentPool& pool,
                       const http::Metrics& metrics);
// GET /api/v0/whoami: the project and token a bearer token stands for.
void add_identity_routes(http::Router& router, store::Store& store);
// POST /api/v0/ops/execute; GET /api/v0/ops/jobs[/{id}]; DELETE /api/v0/ops/jobs/{id};
// POST /api/v0/ops/jobs/{id}/replay.
void add_execute_routes(http::Router& router, store::Store& store, gateway::ExecuteService& service);
// POST /api/v0/artifacts (streamed body); GET /api/v0/artifacts/{id}.
void add_artifact_routes(http::Router& router, store::Store& store, gateway::ArtifactStore& artifacts);
// POST /v1/compute; GET /v1/compute/recent; GET /v1/compute/{job_id}; GET /v1/compute/{job_id}/proof.
void add_hive_routes(http::Router& router, hive::ComputeService& service);
// Test-only routes (config server.debug_routes): echo a JSON body under each error surface, and
// sleep on the agent pool.
void add_debug_routes(http::Router& router, store::Store& store, agents::AgentPool& pool);

}  // namespace forgehive::app
