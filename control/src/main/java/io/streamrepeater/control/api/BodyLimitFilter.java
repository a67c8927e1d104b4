package io.streamrepeater.control.api;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Enforces the API's body limit while the body is read, whatever the transfer encoding (issue 17, finding 2): a
 * declared length over the limit is refused at once, and a chunked body is read only up to the limit; one byte more
 * and the request is answered 413 before anything parses it. The body that passes is handed on from memory.
 */
final class BodyLimitFilter implements Filter {
    private final int maxBytes;

    /** @param maxBytes the largest body accepted */
    BodyLimitFilter(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        String method = http.getMethod();
        if ("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method)) {
            chain.doFilter(request, response);
            return;
        }
        long declared = http.getContentLengthLong();
        if (declared > maxBytes) {
            tooLarge((HttpServletResponse) response);
            return;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream((int) Math.max(0, Math.min(declared, maxBytes)));
        byte[] buffer = new byte[8192];
        try (InputStream in = http.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (body.size() + n > maxBytes) {
                    tooLarge((HttpServletResponse) response);
                    return;
                }
                body.write(buffer, 0, n);
            }
        }
        chain.doFilter(new BufferedBody(http, body.toByteArray()), response);
    }

    private void tooLarge(HttpServletResponse response) throws IOException {
        response.setStatus(413);
        response.setContentType("application/json");
        response.setHeader("Connection", "close");
        response.getOutputStream()
                .write(("{\"error\":\"request body larger than " + maxBytes + " bytes\"}")
                        .getBytes(StandardCharsets.UTF_8));
    }

    /** The request with its body already read (and bounded). */
    private static final class BufferedBody extends HttpServletRequestWrapper {
        private final byte[] body;

        BufferedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already read");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }
    }
}
