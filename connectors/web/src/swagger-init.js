// Starts Swagger UI on /docs from a file, so the page needs no inline script.
const target = document.getElementById("swagger-ui");
window.SwaggerUIBundle({ url: target.dataset.openapi, domNode: target, deepLinking: true });
