// Swiftlet: the public umbrella library. Programs that embed the engine import this one module.
@_exported import ChatTemplates
@_exported import Engine
@_exported import Models
@_exported import Kernels
@_exported import KVCache
@_exported import KVEvents
@_exported import ModelFormats
@_exported import SwiftletTokenizers
@_exported import SwiftletJSON
@_exported import StructuredOutputs
