package io.streamrepeater.srt.binding;

import com.sun.jna.Structure;

/**
 * {@code SRT_TRACEBSTATS} ({@code struct CBytePerfMon} of libsrt 1.5's srt.h), every field in the header's
 * order and C type ({@code int64_t}/{@code uint64_t} as {@code long}, {@code int} as {@code int},
 * {@code double} as {@code double}) so that JNA lays it out as the C compiler does: 496 bytes on x86-64
 * Linux. The 1.5.0 fields at the end make the layout 1.5-only; {@code SrtLibrary} refuses other versions.
 * Counters named {@code ...Total} run from the connection's start; the others run from the last call with
 * {@code clear} set (never, here, so they also run from the start).
 */
@Structure.FieldOrder({
    "msTimeStamp", "pktSentTotal", "pktRecvTotal", "pktSndLossTotal", "pktRcvLossTotal",
    "pktRetransTotal", "pktSentACKTotal", "pktRecvACKTotal", "pktSentNAKTotal", "pktRecvNAKTotal",
    "usSndDurationTotal", "pktSndDropTotal", "pktRcvDropTotal", "pktRcvUndecryptTotal", "byteSentTotal",
    "byteRecvTotal", "byteRcvLossTotal", "byteRetransTotal", "byteSndDropTotal", "byteRcvDropTotal",
    "byteRcvUndecryptTotal", "pktSent", "pktRecv", "pktSndLoss", "pktRcvLoss",
    "pktRetrans", "pktRcvRetrans", "pktSentACK", "pktRecvACK", "pktSentNAK",
    "pktRecvNAK", "mbpsSendRate", "mbpsRecvRate", "usSndDuration", "pktReorderDistance",
    "pktRcvAvgBelatedTime", "pktRcvBelated", "pktSndDrop", "pktRcvDrop", "pktRcvUndecrypt",
    "byteSent", "byteRecv", "byteRcvLoss", "byteRetrans", "byteSndDrop",
    "byteRcvDrop", "byteRcvUndecrypt", "usPktSndPeriod", "pktFlowWindow", "pktCongestionWindow",
    "pktFlightSize", "msRTT", "mbpsBandwidth", "byteAvailSndBuf", "byteAvailRcvBuf",
    "mbpsMaxBW", "byteMSS", "pktSndBuf", "byteSndBuf", "msSndBuf",
    "msSndTsbPdDelay", "pktRcvBuf", "byteRcvBuf", "msRcvBuf", "msRcvTsbPdDelay",
    "pktSndFilterExtraTotal", "pktRcvFilterExtraTotal", "pktRcvFilterSupplyTotal", "pktRcvFilterLossTotal",
            "pktSndFilterExtra",
    "pktRcvFilterExtra", "pktRcvFilterSupply", "pktRcvFilterLoss", "pktReorderTolerance", "pktSentUniqueTotal",
    "pktRecvUniqueTotal", "byteSentUniqueTotal", "byteRecvUniqueTotal", "pktSentUnique", "pktRecvUnique",
    "byteSentUnique", "byteRecvUnique"
})
public final class TraceBStats extends Structure {

    // global measurements
    public long msTimeStamp;
    public long pktSentTotal;
    public long pktRecvTotal;
    public int pktSndLossTotal;
    public int pktRcvLossTotal;
    public int pktRetransTotal;
    public int pktSentACKTotal;
    public int pktRecvACKTotal;
    public int pktSentNAKTotal;
    public int pktRecvNAKTotal;
    public long usSndDurationTotal;
    public int pktSndDropTotal;
    public int pktRcvDropTotal;
    public int pktRcvUndecryptTotal;
    public long byteSentTotal;
    public long byteRecvTotal;
    public long byteRcvLossTotal;
    public long byteRetransTotal;
    public long byteSndDropTotal;
    public long byteRcvDropTotal;
    public long byteRcvUndecryptTotal;

    // local measurements
    public long pktSent;
    public long pktRecv;
    public int pktSndLoss;
    public int pktRcvLoss;
    public int pktRetrans;
    public int pktRcvRetrans;
    public int pktSentACK;
    public int pktRecvACK;
    public int pktSentNAK;
    public int pktRecvNAK;
    public double mbpsSendRate;
    public double mbpsRecvRate;
    public long usSndDuration;
    public int pktReorderDistance;
    public double pktRcvAvgBelatedTime;
    public long pktRcvBelated;
    public int pktSndDrop;
    public int pktRcvDrop;
    public int pktRcvUndecrypt;
    public long byteSent;
    public long byteRecv;
    public long byteRcvLoss;
    public long byteRetrans;
    public long byteSndDrop;
    public long byteRcvDrop;
    public long byteRcvUndecrypt;

    // instant measurements
    public double usPktSndPeriod;
    public int pktFlowWindow;
    public int pktCongestionWindow;
    public int pktFlightSize;
    public double msRTT;
    public double mbpsBandwidth;
    public int byteAvailSndBuf;
    public int byteAvailRcvBuf;
    public double mbpsMaxBW;
    public int byteMSS;
    public int pktSndBuf;
    public int byteSndBuf;
    public int msSndBuf;
    public int msSndTsbPdDelay;
    public int pktRcvBuf;
    public int byteRcvBuf;
    public int msRcvBuf;
    public int msRcvTsbPdDelay;
    public int pktSndFilterExtraTotal;
    public int pktRcvFilterExtraTotal;
    public int pktRcvFilterSupplyTotal;
    public int pktRcvFilterLossTotal;
    public int pktSndFilterExtra;
    public int pktRcvFilterExtra;
    public int pktRcvFilterSupply;
    public int pktRcvFilterLoss;
    public int pktReorderTolerance;

    // New stats in 1.5.0

    // Total
    public long pktSentUniqueTotal;
    public long pktRecvUniqueTotal;
    public long byteSentUniqueTotal;
    public long byteRecvUniqueTotal;

    // Local
    public long pktSentUnique;
    public long pktRecvUnique;
    public long byteSentUnique;
    public long byteRecvUnique;

    /** The byte offset JNA gave {@code field}: tests compare it with the C compiler's. */
    int offsetOf(String field) {
        return fieldOffset(field);
    }
}
