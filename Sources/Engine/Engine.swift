// Engine: loads a model source (GGUF file or Hugging Face directory) into its config, tokenizer and chat template; the scheduler and engine core follow.
