<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="en">
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
    <name>MainWindow</name>
    <message numerus="yes">
        <source>Too many wrong PINs. Try again in %Ln second(s).</source>
        <translation>
            <numerusform>Too many wrong PINs. Try again in %Ln second.</numerusform>
            <numerusform>Too many wrong PINs. Try again in %Ln seconds.</numerusform>
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
    <message numerus="yes">
        <source>Back to the letter in %Ln second(s).</source>
        <translation>
            <numerusform>Back to the letter in %Ln second.</numerusform>
            <numerusform>Back to the letter in %Ln seconds.</numerusform>
        </translation>
    </message>
</context>
</TS>