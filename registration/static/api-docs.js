// Renders the OpenAPI document with Swagger UI (served by the service: see registration/api/docs.py).
window.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") return;
  window.SwaggerUIBundle({ url: root.dataset.spec, domNode: root, deepLinking: false, defaultModelsExpandDepth: -1 });
});
