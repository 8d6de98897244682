<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AttentionSection</name>
    <message numerus="yes">
        <source>%Ln signature(s) will be sent again at the next sync.</source>
        <translation>
            <numerusform>%Ln signature will be sent again at the next sync.</numerusform>
            <numerusform>%Ln signatures will be sent again at the next sync.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) set aside. The log keeps the reason.</source>
        <translation>
            <numerusform>%Ln signature set aside. The log keeps the reason.</numerusform>
            <numerusform>%Ln signatures set aside. The log keeps the reason.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AttractPage</name>
    <message numerus="yes">
        <source>%Ln signature(s)</source>
        <translation>
            <numerusform>%Ln signature</numerusform>
            <numerusform>%Ln signatures</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>IdleCountdown</name>
    <message numerus="yes">
        <source>To protect your privacy, this screen will be cleared in %Ln second(s).</source>
        <translation>
            <numerusform>To protect your privacy, this screen will be cleared in %Ln second.</numerusform>
            <numerusform>To protect your privacy, this screen will be cleared in %Ln seconds.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LetterPage</name>
    <message numerus="yes">
        <source>%Ln signature(s) on this device</source>
        <translation>
            <numerusform>%Ln signature on this device</numerusform>
            <numerusform>%Ln signatures on this device</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OverviewSection</name>
    <message numerus="yes">
        <source>Device clock: %Ln second(s) behind the server</source>
        <translation>
            <numerusform>Device clock: %Ln second behind the server</numerusform>
            <numerusform>Device clock: %Ln seconds behind the server</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Device clock: %Ln second(s) ahead of the server</source>
        <translation>
            <numerusform>Device clock: %Ln second ahead of the server</numerusform>
            <numerusform>Device clock: %Ln seconds ahead of the server</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PickerPage</name>
    <message numerus="yes">
        <source>%Ln signature(s) on this device</source>
        <translation>
            <numerusform>%Ln signature on this device</numerusform>
            <numerusform>%Ln signatures on this device</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message numerus="yes">
        <source>Too many wrong PINs. Try again in %Ln second(s).</source>
        <translation>
            <numerusform>Too many wrong PINs. Try again in %Ln second.</numerusform>
            <numerusform>Too many wrong PINs. Try again in %Ln seconds.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsSection</name>
    <message numerus="yes">
        <source>%Ln signature(s) exported.</source>
        <translation>
            <numerusform>%Ln signature exported.</numerusform>
            <numerusform>%Ln signatures exported.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln of them are sealed: their signers' details are encrypted for the campaign's server and cannot be read on this device, so the file holds them without names. The server's operator reads them with the server's passphrase.</source>
        <translation>
            <numerusform>%Ln of them are sealed: their signers' details are encrypted for the campaign's server and cannot be read on this device, so the file holds them without names. The server's operator reads them with the server's passphrase.</numerusform>
            <numerusform>%Ln of them are sealed: their signers' details are encrypted for the campaign's server and cannot be read on this device, so the file holds them without names. The server's operator reads them with the server's passphrase.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Personal data of %Ln sent signature(s) purged.</source>
        <translation>
            <numerusform>Personal data of %Ln sent signature purged.</numerusform>
            <numerusform>Personal data of %Ln sent signatures purged.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SyncSection</name>
    <message numerus="yes">
        <source>%Ln signature(s) made on phones wait for the server to be updated (it speaks API version %1; they need version %2). Nothing is lost: they are sent once the server is updated.</source>
        <translation>
            <numerusform>%Ln signature made on phones wait for the server to be updated (it speaks API version %1; they need version %2). Nothing is lost: they are sent once the server is updated.</numerusform>
            <numerusform>%Ln signatures made on phones wait for the server to be updated (it speaks API version %1; they need version %2). Nothing is lost: they are sent once the server is updated.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) with partners' opt-ins wait for the server to be updated (it speaks API version %1; they need version %2). Nothing is lost: they are sent once the server is updated.</source>
        <translation>
            <numerusform>%Ln signature with partners' opt-ins wait for the server to be updated (it speaks API version %1; they need version %2). Nothing is lost: they are sent once the server is updated.</numerusform>
            <numerusform>%Ln signatures with partners' opt-ins wait for the server to be updated (it speaks API version %1; they need version %2). Nothing is lost: they are sent once the server is updated.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln second(s)</source>
        <translation>
            <numerusform>%Ln second</numerusform>
            <numerusform>%Ln seconds</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln minute(s)</source>
        <translation>
            <numerusform>%Ln minute</numerusform>
            <numerusform>%Ln minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) written to %1.</source>
        <translation>
            <numerusform>%Ln signature written to %1.</numerusform>
            <numerusform>%Ln signatures written to %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) made on phones are not in the file: they wait for the server to be updated.</source>
        <translation>
            <numerusform>%Ln signature made on phones are not in the file: they wait for the server to be updated.</numerusform>
            <numerusform>%Ln signatures made on phones are not in the file: they wait for the server to be updated.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) with partners' opt-ins are not in the file: they wait for the server to be updated.</source>
        <translation>
            <numerusform>%Ln signature with partners' opt-ins are not in the file: they wait for the server to be updated.</numerusform>
            <numerusform>%Ln signatures with partners' opt-ins are not in the file: they wait for the server to be updated.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Receipt read: %Ln signature(s) acknowledged by the server.</source>
        <translation>
            <numerusform>Receipt read: %Ln signature acknowledged by the server.</numerusform>
            <numerusform>Receipt read: %Ln signatures acknowledged by the server.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ThanksPage</name>
    <message numerus="yes">
        <source>%Ln signature(s) on this device</source>
        <translation>
            <numerusform>%Ln signature on this device</numerusform>
            <numerusform>%Ln signatures on this device</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This screen closes in %Ln second(s).</source>
        <translation>
            <numerusform>This screen closes in %Ln second.</numerusform>
            <numerusform>This screen closes in %Ln seconds.</numerusform>
        </translation>
    </message>
</context>
</TS>