// offload(): run a function on the agent pool and co_await its result from a network coroutine. The
// coroutine resumes on its own executor (its connection's strand), never on an agent thread.
#pragma once

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "forgehive/agents/agent_pool.hpp"

namespace forgehive::agents {

// Result of an offloaded call: the value, or the exception it threw (rethrown in the caller).
template <class T>
struct Outcome {
    std::exception_ptr error;
    T value{};
};

// `function` is called as function(const Agent&) on agent `agent`, or on the least-loaded agent when
// `agent` is empty.
template <class F, class T = std::invoke_result_t<F, const Agent&>>
boost::asio::awaitable<T> offload(AgentPool& pool, F function, std::optional<std::size_t> agent = std::nullopt) {
    auto outcome = co_await boost::asio::async_initiate<decltype(boost::asio::use_awaitable), void(Outcome<T>)>(
        [&pool, agent](auto handler, F fn) {
            // The completion handler is move-only and the pool takes std::function (copyable): share it.
            auto task = [handler = std::move(handler), fn = std::move(fn)](const Agent& runner) mutable {
                Outcome<T> result;
                try {
                    result.value = fn(runner);
                } catch (...) {
                    result.error = std::current_exception();
                }
                auto executor = boost::asio::get_associated_executor(handler);
                boost::asio::dispatch(executor, [handler = std::move(handler), result = std::move(result)]() mutable {
                    std::move(handler)(std::move(result));
                });
            };
            auto shared = std::make_shared<decltype(task)>(std::move(task));
            Task posted = [shared](const Agent& runner) { (*shared)(runner); };
            if (agent) {
                pool.post_to(*agent, std::move(posted));
            } else {
                pool.post(std::move(posted));
            }
        },
        boost::asio::use_awaitable, std::move(function));
    if (outcome.error) std::rethrow_exception(outcome.error);
    co_return std::move(outcome.value);
}

}  // namespace forgehive::agents
