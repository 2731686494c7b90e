"""Request and response bodies: separate Create / Update / Public models per resource."""
