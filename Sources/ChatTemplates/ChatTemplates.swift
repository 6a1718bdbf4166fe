// ChatTemplates: a Jinja subset interpreter that renders Hugging Face chat templates as Python jinja2 does with trim_blocks and lstrip_blocks on. A leaf: imports no other engine target.
