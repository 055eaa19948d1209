"""Services: each public function is one transaction. Views and CLI commands call these."""
