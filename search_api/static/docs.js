// Swagger UI over this server's /openapi.json. A file, not an inline script, so the CSP needs no
// 'unsafe-inline' for scripts; no validator badge, since that would call a host on the internet.
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  layout: "BaseLayout",
});
