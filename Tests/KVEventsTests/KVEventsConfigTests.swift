import KVEvents
import Testing

@Suite struct KVEventsConfigTests {
    @Test func vllmFieldsAndDefaults() throws {
        let config = try KVEventsConfig(json: #"{"enable_kv_cache_events": true, "publisher": "zmq", "endpoint": "tcp://*:6001", "replay_endpoint": "tcp://*:6002", "buffer_steps": 50, "topic": "kv"}"#)
        #expect(config.publishes)
        #expect(config.endpoint == "tcp://*:6001")
        #expect(config.replayEndpoint == "tcp://*:6002")
        #expect(config.bufferSteps == 50)
        #expect(config.hwm == 100_000)
        #expect(config.topic == "kv")
        // Enabled but with the null publisher (vLLM's default) publishes nothing.
        #expect(try !KVEventsConfig(json: #"{"enable_kv_cache_events": true}"#).publishes)
        #expect(try !KVEventsConfig(json: #"{"publisher": "zmq"}"#).publishes)
        #expect(KVEventsConfig.binds("tcp://*:5557"))
        #expect(!KVEventsConfig.binds("tcp://10.0.0.1:5557"))
    }

    @Test func badConfigsAreRefusedWithTheField() {
        for (json, needle) in [
            (#"{"enable_kv_cache_events": "yes"}"#, "enable_kv_cache_events"),
            (#"{"publisher": "kafka"}"#, "publisher"),
            (#"{"endpoint": "localhost:5557"}"#, "endpoint"),
            (#"{"buffer_steps": 0}"#, "buffer_steps"),
            (#"{"hwm": 1.5}"#, "hwm"),
            (#"{"publsher": "zmq"}"#, "publsher"),
            ("[1]", "JSON object"),
        ] {
            #expect {
                try KVEventsConfig(json: json)
            } throws: { error in
                "\(error)".contains(needle)
            }
        }
    }
}
