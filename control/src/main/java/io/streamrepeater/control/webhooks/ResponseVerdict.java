package io.streamrepeater.control.webhooks;

/** What the answer of a webhook receiver means for the delivery. */
public enum ResponseVerdict {
    /** 2xx: the receiver has it. */
    DELIVERED,
    /** 408, 429, 5xx, or no answer at all: try again later. */
    RETRY,
    /**
     * Any other 4xx (the receiver refuses this request; sending it again will not change that), and
     * 1xx/3xx (redirects are not followed: a receiver that moved is reconfigured, not chased).
     */
    GIVE_UP;

    /** @return the verdict on an HTTP status code */
    public static ResponseVerdict of(int status) {
        if (status >= 200 && status <= 299) {
            return DELIVERED;
        }
        if (status == 408 || status == 429 || (status >= 500 && status <= 599)) {
            return RETRY;
        }
        return GIVE_UP;
    }
}
