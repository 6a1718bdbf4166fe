import Engine
import Foundation
import HTTPTypes
import KVEvents
import HummingbirdTesting
@testable import OpenAIServer
import Testing

/// The endpoints routers call on every worker: render (prefix-aware routing), load and server info.
extension ServerSuites {
@Suite struct ScaleOutEndpointTests {
    /// "The capital of France is" with the SmolLM2 tokenizer (no BOS for plain prompts).
    let parisTokens = [504, 3575, 282, 4649, 314]

    @Test func completionRenderReturnsTokensAndParamsWithoutRunning() async throws {
        try await ServerFixture.withServing { client, context in
            let before = context.engine.stats.numPromptTokens
            let response = try await ServerFixture.post(client, "/v1/completions/render",
                #"{"model":"smollm2","prompt":"The capital of France is","max_tokens":7,"temperature":0.25,"top_k":5,"stream":true,"cache_salt":"s1","priority":3}"#)
            #expect(response.status == .ok)
            let items = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]])
            #expect(items.count == 1)
            let item = try #require(items.first)
            #expect(item["token_ids"] as? [Int] == parisTokens)
            #expect((item["request_id"] as? String)?.hasPrefix("cmpl-") == true)
            #expect(item["model"] as? String == "smollm2")
            #expect(item["stream"] as? Bool == true)
            #expect(item["cache_salt"] as? String == "s1")
            #expect(item["priority"] as? Int == 3)
            #expect(item["token_offsets"] is NSNull)
            let params = try #require(item["sampling_params"] as? [String: Any])
            #expect(params["max_tokens"] as? Int == 7)
            #expect(params["temperature"] as? Double == 0.25)
            #expect(params["top_k"] as? Int == 5)
            #expect(params["n"] as? Int == 1)
            // Nothing reached the engine.
            #expect(context.engine.stats.numPromptTokens == before)
        }
    }

    @Test func completionRenderOfSeveralPromptsAndTokenPrompts() async throws {
        try await ServerFixture.withServer { client in
            let response = try await ServerFixture.post(client, "/v1/completions/render",
                #"{"prompt":[[504,3575,282,4649,314],[1,2,3]],"request_id":"r"}"#)
            #expect(response.status == .ok)
            let items = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]])
            #expect(items.map { $0["request_id"] as? String } == ["r-0", "r-1"])
            #expect(items.map { $0["token_ids"] as? [Int] } == [parisTokens, [1, 2, 3]])
            let texts = try await ServerFixture.post(client, "/v1/completions/render", #"{"prompt":["The capital of France is","Hi"]}"#)
            let textItems = try #require(try JSONSerialization.jsonObject(with: Data(texts.body.readableBytesView)) as? [[String: Any]])
            #expect(textItems.first?["token_ids"] as? [Int] == parisTokens)
            #expect(textItems.count == 2)
        }
    }

    @Test func chatRenderMatchesTokenize() async throws {
        try await ServerFixture.withServer { client in
            let messages = #""messages":[{"role":"user","content":"Hi"}]"#
            let tokenized = try ServerFixture.json(try await ServerFixture.post(client, "/tokenize", "{\(messages)}"))
            let response = try await ServerFixture.post(client, "/v1/chat/completions/render",
                #"{"model":"smollm2",\#(messages),"max_tokens":3,"stream":true,"stream_options":{"include_usage":true}}"#)
            #expect(response.status == .ok)
            let item = try ServerFixture.json(response)
            let tokens = try #require(item["token_ids"] as? [Int])
            #expect(tokens == tokenized["tokens"] as? [Int])
            #expect(tokens.count == 31)
            #expect((item["request_id"] as? String)?.hasPrefix("chatcmpl-") == true)
            #expect((item["sampling_params"] as? [String: Any])?["max_tokens"] as? Int == 3)
            let options = try #require(item["stream_options"] as? [String: Any])
            #expect(options["include_usage"] as? Bool == true)
            #expect(options["continuous_usage_stats"] as? Bool == false)
        }
    }

    /// vLLM's X-Request-Id header names the request (ahead of the body's request_id).
    @Test func requestIDHeader() async throws {
        try await ServerFixture.withServer { client in
            let header: HTTPFields = [HTTPField.Name("X-Request-Id")!: "trace-7"]
            let completion = try await ServerFixture.post(client, "/v1/completions",
                #"{"prompt":"Hi","max_tokens":1,"request_id":"body-id"}"#, headers: header)
            #expect(try ServerFixture.json(completion)["id"] as? String == "trace-7")
            let chat = try await ServerFixture.post(client, "/v1/chat/completions",
                #"{"messages":[{"role":"user","content":"Hi"}],"max_tokens":1}"#, headers: header)
            #expect(try ServerFixture.json(chat)["id"] as? String == "chatcmpl-trace-7")
        }
    }

    /// Render checks a request exactly as the generating endpoint does.
    @Test func renderRefusesWhatGeneratingRefuses() async throws {
        try await ServerFixture.withServer { client in
            let wrongModel = try await ServerFixture.post(client, "/v1/completions/render", #"{"model":"other","prompt":"x"}"#)
            #expect(wrongModel.status == .notFound)
            let badTemperature = try await ServerFixture.post(client, "/v1/chat/completions/render",
                #"{"messages":[{"role":"user","content":"Hi"}],"temperature":-1}"#)
            #expect(badTemperature.status == .badRequest)
            let offsets = try await ServerFixture.post(client, "/v1/completions/render", #"{"prompt":"x","return_token_offsets":true}"#)
            #expect(offsets.status == .badRequest)
            #expect(try ServerFixture.json(offsets)["error"].flatMap { ($0 as? [String: Any])?["param"] as? String } == "return_token_offsets")
            let unhonoured = try await ServerFixture.post(client, "/v1/completions/render", #"{"prompt":"x","suffix":"y"}"#)
            #expect(unhonoured.status == .badRequest)
            let wrongMethod = try await client.execute(uri: "/v1/completions/render", method: .get)
            #expect(wrongMethod.status == .methodNotAllowed)
        }
    }

    @Test func loadAndServerInfo() async throws {
        try await ServerFixture.withServing { client, context in
            let load = try ServerFixture.json(try await client.execute(uri: "/get_load", method: .get))
            #expect(load["load"] as? Int == 0)
            #expect(load["num_requests_waiting"] as? Int == 0)
            let info = try ServerFixture.json(try await client.execute(uri: "/get_server_info", method: .get))
            #expect(info["model_id"] as? String == "smollm2")
            #expect(info["block_size"] as? Int == 16)
            #expect(info["max_model_len"] as? Int == 128)
            let blocks = try ServerFixture.loaded.get().core.config.numBlocks
            #expect(info["num_gpu_blocks"] as? Int == blocks)
            #expect(context.cache.numBlocks == blocks)
        }
    }

    /// The info gauges endpoint pickers read, with vLLM's labels.
    @Test func cacheConfigInfoMetric() async throws {
        try await ServerFixture.withServer { client in
            let text = String(decoding: Data(try await client.execute(uri: "/metrics", method: .get).body.readableBytesView), as: UTF8.self)
            let blocks = try ServerFixture.loaded.get().core.config.numBlocks
            #expect(text.contains("# TYPE vllm:cache_config_info gauge"))
            #expect(text.contains(#"vllm:cache_config_info{block_size="16",cache_dtype="auto",enable_prefix_caching="True",num_cpu_blocks="None",num_gpu_blocks="\#(blocks)","#))
            #expect(text.contains(#"vllm:lora_requests_info{max_lora="0",running_lora_adapters="",waiting_lora_adapters=""} "#))
        }
    }

    /// Where a router subscribes to KV cache events: vLLM's bare array, the wildcard address given
    /// with the host the caller used; empty when events are off.
    @Test func kvEventSources() async throws {
        try await ServerFixture.withServer { client in
            let off = try await client.execute(uri: "/kv_event_sources", method: .get)
            #expect(String(decoding: Data(off.body.readableBytesView), as: UTF8.self) == "[]")
        }
        let loaded = try ServerFixture.loaded.get()
        var options = ServerOptions(servedModelName: ServerFixture.modelName)
        options.kvEvents = try KVEventsConfig(json: #"{"enable_kv_cache_events": true, "publisher": "zmq", "endpoint": "tcp://*:6557", "replay_endpoint": "tcp://*:6558", "topic": "kv"}"#)
        let context = try ServingContext(engine: loaded.engine, core: loaded.core, chatTemplate: nil, options: options)
        let app = try OpenAIServer.application(context: context, host: "127.0.0.1", port: 0)
        try await app.test(.live) { client in
            // The test client always reaches the server as localhost:PORT.
            let response = try await client.execute(uri: "/kv_event_sources", method: .get)
            let sources = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]])
            #expect(sources.count == 1)
            #expect(sources.first?["endpoint"] as? String == "tcp://localhost:6557")
            #expect(sources.first?["replay_endpoint"] as? String == "tcp://localhost:6558")
            #expect(sources.first?["topic"] as? String == "kv")
            #expect(sources.first?["data_parallel_rank"] as? Int == 0)
        }
    }
}
}

@Suite struct HostHeaderTests {
    @Test func hostNames() {
        #expect(ServerInfoHandler.hostName("10.1.2.3:8000") == "10.1.2.3")
        #expect(ServerInfoHandler.hostName("worker-0.svc") == "worker-0.svc")
        #expect(ServerInfoHandler.hostName("[fd00::1]:8000") == "[fd00::1]")
        #expect(ServerInfoHandler.hostName("") == nil)
        #expect(ServerInfoHandler.hostName(nil) == nil)
    }
}
